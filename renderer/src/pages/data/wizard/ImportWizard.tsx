// The import wizard: 1) what and which file, 2) preview (or, for a genome, the import itself),
// 3) dataset settings, 4) a summary before and after the build. Each long step runs as a job on the
// Node side and shows its progress with a Cancel button (a cancelled job changes nothing); closing
// the dialog does not stop work already started (the Data page lists the result when it lands).
import { Alert, Button, Group, Modal, Stack, Stepper, Text } from '@mantine/core';
import { IconChartLine } from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { DatasetSummary, Genome, RegionPreview, RegionSet, TablePreview } from '../../../../../shared/contract/data';
import { toApiError } from '../../../../../shared/client';
import { useClient, useMode } from '../../../api/context';
import { OperationProgress, useOperationProgress } from '../../../components/OperationProgress';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { coveredByFields, fieldErrors } from '../../../lib/errors';
import { notifySuccess } from '../../../lib/notify';
import { baseName } from '../format';
import { BuildRecap } from './BuildRecap';
import { ChooseFileStep, kindOfFile, type ImportKind } from './ChooseFileStep';
import { GenomeImported } from './GenomeImported';
import { RegionPreviewStep } from './RegionPreviewStep';
import { RegionSettingsForm } from './RegionSettingsForm';
import { defaultRegionSettings, defaultTableSettings, regionsSpec, settingFields, tableSpec, type RegionSettings, type TableSettings } from './settings';
import { TablePreviewStep } from './TablePreviewStep';
import { TableSettingsForm } from './TableSettingsForm';
import { DatasetSummaryView } from '../DatasetSummaryView';
import { trainHref } from '../../train/route';

type Busy = 'preview' | 'genome' | 'regions' | 'build' | null;
type LongWork = Exclude<Busy, 'preview' | null>;

/** The job kinds the Node side runs each long step as (main/api/data-jobs.ts). */
const jobKinds: Record<LongWork, string[]> = { genome: ['genome-index'], regions: ['regions-read'], build: ['dataset-build'] };

const cancelledText: Record<LongWork, string> = {
  genome: 'The genome was not imported and the project is as it was. Import it again when you are ready.',
  regions: 'The regions were not imported and the project is as it was. Import them again when you are ready.',
  build: 'The dataset was not built and the project is as it was. Build it again when you are ready.',
};

/** After a cancel: what was not done, and that nothing changed. */
function CancelledNotice({ work, detail }: { work: LongWork; detail: string | null }) {
  return (
    <Alert color="gray" variant="light" title="Cancelled — nothing was changed" role="status" aria-label="Cancelled">
      <Text size="sm">{cancelledText[work]}</Text>
      {detail && (
        <Text size="xs" c="dimmed" mt={4}>
          {detail}
        </Text>
      )}
    </Alert>
  );
}

interface Props {
  project: string;
  genomes: Genome[];
  regionSets: RegionSet[];
  /** Open at the dataset settings for a region set already in the project. */
  startFrom?: RegionSet;
  onClose: () => void;
  /** Something was added to the project (the page reloads its lists). */
  onChanged: () => void;
}

const stepLabels: Record<ImportKind, Array<[string, string]>> = {
  genome: [
    ['File', 'FASTA to import'],
    ['Import', 'Index and check'],
  ],
  regions: [
    ['File', 'BED or GFF3'],
    ['Preview', 'Records and problems'],
    ['Dataset', 'Windows, negatives, split'],
    ['Build', 'Summary'],
  ],
  table: [
    ['File', 'CSV, TSV or FASTA'],
    ['Preview', 'Classes and problems'],
    ['Dataset', 'Name and split'],
    ['Build', 'Summary'],
  ],
};

/** Absolute on Linux/macOS, or a Windows drive or share path. */
function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function stripExtension(name: string): string {
  return name.replace(/\.(gz|bgz)$/i, '').replace(/\.[^.]+$/, '');
}

export function ImportWizard({ project, genomes, regionSets, startFrom, onClose, onChanged }: Props) {
  const client = useClient();
  const mode = useMode();
  const startGenome = startFrom ? genomes.find((g) => g.id === startFrom.genomeId) : undefined;

  const [kind, setKind] = useState<ImportKind>(startFrom ? 'regions' : 'genome');
  const [active, setActive] = useState(startFrom ? 2 : 0);
  const [path, setPath] = useState(startFrom?.sourcePath ?? '');
  const [name, setName] = useState('');
  const [dropped, setDropped] = useState<string | null>(null);
  const [genomeId, setGenomeId] = useState<number | null>(startFrom?.genomeId ?? (genomes.length === 1 ? genomes[0]!.id : null));
  const [localError, setLocalError] = useState<{ field: 'path' | 'genome'; message: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<Busy>(null);

  const [genome, setGenome] = useState<Genome | null>(null);
  const [regionPreview, setRegionPreview] = useState<RegionPreview | null>(null);
  const [gffTypes, setGffTypes] = useState<string[]>([]);
  const [deriveStarts, setDeriveStarts] = useState(false);
  const [rename, setRename] = useState<Record<string, string> | null>(null);
  const [tolerate, setTolerate] = useState(false);
  const [regionSetName, setRegionSetName] = useState('');
  const [regionSetNameTouched, setRegionSetNameTouched] = useState(false);
  const [importedSet, setImportedSet] = useState<RegionSet | null>(startFrom ?? null);
  const [tablePreview, setTablePreview] = useState<TablePreview | null>(null);
  const [regionSettings, setRegionSettings] = useState<RegionSettings>(() => defaultRegionSettings(startGenome, startFrom));
  const [tableSettings, setTableSettings] = useState<TableSettings>(() => defaultTableSettings(''));
  const [built, setBuilt] = useState<DatasetSummary | null>(null);
  const [cancelling, setCancelling] = useState(false);
  /** The long step the user cancelled (and, when the job stopped otherwise, why), until the next try. */
  const [cancelled, setCancelled] = useState<{ work: LongWork; detail: string | null } | null>(null);

  const longWork: LongWork | null = busy === 'genome' || busy === 'regions' || busy === 'build' ? busy : null;
  const progress = useOperationProgress(jobKinds[longWork ?? 'build'], project, longWork !== null);
  const steps = stepLabels[kind];
  const datasetGenome = genomes.find((g) => g.id === (importedSet?.genomeId ?? genomeId)) ?? startGenome;
  const setsOfGenome = [...regionSets.filter((s) => s.genomeId === datasetGenome?.id), ...(importedSet && !regionSets.some((s) => s.id === importedSet.id) ? [importedSet] : [])];

  function fail(err: unknown) {
    setError(toApiError(err));
  }

  /** Starts a long step: clears the last try's errors and cancel notice. */
  function begin(work: LongWork) {
    setBusy(work);
    setError(null);
    setCancelled(null);
    setCancelling(false);
  }

  /** A long step failed: a cancel shows its own notice, anything else the error. Returns the error otherwise. */
  function failLong(work: LongWork, err: unknown): ApiError | null {
    const apiError = toApiError(err);
    if (apiError.code === 'cancelled') {
      setCancelled({ work, detail: apiError.message.startsWith('Cancelled') ? null : apiError.message });
      return null;
    }
    setError(apiError);
    return apiError;
  }

  async function cancelJob(jobId: string) {
    setCancelling(true);
    try {
      await client.call('jobs.cancel', { project, jobId });
    } catch {
      // It finished (or failed) meanwhile: the step's own result or error shows.
      setCancelling(false);
    }
  }

  const cancelProps = (label: string) => ({ label, onCancel: (jobId: string) => void cancelJob(jobId), cancelling });

  function chooseKind(next: ImportKind) {
    setKind(next);
    setError(null);
    setLocalError(null);
  }

  function defaultSetName(types: string[], starts: boolean): string {
    if (regionPreview?.format === 'gff3' && types.length) return `${types.join(' + ')}${starts ? ' start sites' : ''}`;
    return stripExtension(baseName(path.trim()));
  }

  // ---------- step 1 -> 2 ----------

  async function next() {
    const file = path.trim();
    setError(null);
    if (!file) return setLocalError({ field: 'path', message: 'Give the full path of the file' });
    if (!isAbsolutePath(file)) return setLocalError({ field: 'path', message: 'Give the full path, from the root of the disk (e.g. /home/me/data/file.bed): Loci reads the file where it is' });
    if (kind === 'regions' && genomeId === null) return setLocalError({ field: 'genome', message: 'Choose the genome these regions are on' });
    setLocalError(null);
    setBusy('preview');
    // A missing, empty or binary file is said here, on the path, before anything starts.
    try {
      await client.call('system.checkFile', { path: file });
    } catch (err) {
      setBusy(null);
      return setLocalError({ field: 'path', message: toApiError(err).message });
    }
    if (kind === 'genome') return importGenome(file);
    try {
      if (kind === 'regions') {
        const preview = await client.call('regions.preview', { project, path: file, genomeId: genomeId! });
        setRegionPreview(preview);
        setRename(null);
        setTolerate(false);
        const types = preview.format === 'gff3' ? [preview.gffTypes.find((t) => t.type === 'gene')?.type ?? preview.gffTypes[0]?.type].filter((t): t is string => !!t) : [];
        setGffTypes(types);
        setDeriveStarts(false);
        setRegionSetNameTouched(false);
        setRegionSetName(preview.format === 'gff3' && types.length ? types.join(' + ') : stripExtension(baseName(file)));
      } else {
        const preview = await client.call('tables.preview', { project, path: file });
        setTablePreview(preview);
        setTableSettings(defaultTableSettings(baseName(file)));
      }
      setActive(1);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  }

  async function importGenome(file: string) {
    setActive(1);
    begin('genome');
    setGenome(null);
    try {
      const g = await client.call('genomes.import', { project, path: file, ...(name.trim() && { name: name.trim() }) });
      setGenome(g);
      setActive(2);
      onChanged();
    } catch (err) {
      failLong('genome', err);
    } finally {
      setBusy(null);
      setCancelling(false);
    }
  }

  // ---------- step 2 (regions): re-preview with a renaming, then import ----------

  async function applyRename(mapping: Record<string, string> | null) {
    setBusy('preview');
    setError(null);
    try {
      const preview = await client.call('regions.preview', { project, path: path.trim(), genomeId: genomeId!, ...(mapping && { rename: mapping }) });
      setRegionPreview(preview);
      setRename(mapping);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  }

  async function importRegions(thenClose: boolean) {
    if (!regionPreview || genomeId === null) return;
    begin('regions');
    try {
      const set = await client.call('regions.import', {
        project,
        path: path.trim(),
        genomeId,
        name: regionSetName,
        format: regionPreview.format,
        ...(regionPreview.format === 'gff3' && { gffTypes }),
        derive: deriveStarts ? 'start-sites' : 'features',
        ...(rename && { rename }),
        ...(tolerate && { maxBadLines: regionPreview.errorCount }),
      });
      setImportedSet(set);
      onChanged();
      // The wizard shows each result in place; a notification only when it closes (it would cover the footer).
      if (thenClose) {
        notifySuccess('Regions imported', `${set.count.toLocaleString()} regions as “${set.name}”`);
        return onClose();
      }
      setRegionSettings(defaultRegionSettings(genomes.find((g) => g.id === genomeId), set));
      setActive(2);
    } catch (err) {
      failLong('regions', err);
    } finally {
      setBusy(null);
      setCancelling(false);
    }
  }

  // ---------- step 4: build ----------

  async function build() {
    begin('build');
    try {
      const datasetName = kind === 'table' ? tableSettings.name : regionSettings.name;
      const spec = kind === 'table' ? tableSpec(tableSettings, path.trim()) : regionsSpec(regionSettings, datasetGenome!.id);
      const summary = await client.call('datasets.build', { project, name: datasetName, spec });
      setBuilt(summary);
      setActive(4);
      onChanged();
    } catch (err) {
      const apiError = failLong('build', err);
      // Problems with a setting belong under its input, on the settings step.
      if (apiError?.issues?.length && coveredByFields(apiError, settingFields)) setActive(2);
    } finally {
      setBusy(null);
      setCancelling(false);
    }
  }

  // ---------- layout ----------

  const errors = fieldErrors(error, [...settingFields, 'path', 'genomeId'] as const);
  const pathError = localError?.field === 'path' ? localError.message : (errors.path ?? (error?.code === 'not_found' && active === 0 ? error.message : undefined));
  const genomeError = localError?.field === 'genome' ? localError.message : errors.genomeId;
  const settingsShown = active === 2 && kind !== 'genome';
  const showAlert = error && !(active === 0 && pathError === error.message) && !(active === 0 && coveredByFields(error, ['path', 'genomeId', 'name'])) && !(settingsShown && coveredByFields(error, settingFields));
  const working = longWork !== null;
  const progressLabel = busy === 'genome' ? 'Importing the genome' : busy === 'regions' ? 'Importing the regions' : 'Building the dataset';

  // Each step opens at its top, stepper in view (the previous step may have been scrolled down).
  const stepperRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The dialog's scrolling box back to its top (scrollIntoView would tuck the stepper under the
    // dialog's sticky title).
    let box = stepperRef.current?.parentElement ?? null;
    while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
    box?.scrollTo({ top: 0 });
  }, [active]);

  function close() {
    if (working) notifySuccess('Still working', `${progressLabel} goes on; the Data page lists it when done.`);
    onClose();
  }

  const stepper = (
    <Stepper ref={stepperRef} active={active} size="sm" allowNextStepsSelect={false} onStepClick={(i) => !busy && i < active && !built && !(kind === 'genome' && genome) && setActive(i)} mb="md">
      {steps.map(([label, description]) => (
        <Stepper.Step key={label} label={label} description={description} loading={busy !== null && busy !== 'preview' && steps[active]?.[0] === label} />
      ))}
    </Stepper>
  );

  let body: ReactNode = null;
  let footer: ReactNode = null;
  const back = (to: number) => (
    <Button variant="default" onClick={() => (setError(null), setActive(to))} disabled={busy !== null}>
      Back
    </Button>
  );

  if (active === 0) {
    body = (
      <ChooseFileStep
        kind={kind}
        onKind={chooseKind}
        path={path}
        onPath={(v) => (setPath(v), setLocalError(null))}
        pathError={pathError}
        name={name}
        onName={setName}
        nameError={errors.name}
        genomes={genomes}
        genomeId={genomeId}
        onGenome={(id) => (setGenomeId(id), setLocalError(null))}
        genomeError={genomeError}
        dropped={dropped}
        onDrop={(fileName) => {
          setDropped(fileName);
          const guessed = kindOfFile(fileName);
          if (guessed) chooseKind(guessed);
          // Keep a folder the user already typed; put the dropped name after it.
          const folder = path.trim().replace(/[^/\\]*$/, '');
          setPath(folder ? folder + fileName : fileName);
        }}
        mode={mode}
      />
    );
    footer = (
      <Button onClick={() => void next()} loading={busy === 'preview'} disabled={kind === 'regions' && genomes.length === 0}>
        {kind === 'genome' ? 'Import genome' : 'Preview'}
      </Button>
    );
  } else if (kind === 'genome') {
    body = genome ? (
      <GenomeImported genome={genome} />
    ) : busy === 'genome' ? (
      <OperationProgress label={progressLabel} event={progress} cancel={cancelProps('Cancel import')} />
    ) : cancelled?.work === 'genome' ? (
      <CancelledNotice work="genome" detail={cancelled.detail} />
    ) : null;
    footer = genome ? (
      <>
        <Button
          variant="default"
          onClick={() => {
            setKind('regions');
            setGenomeId(genome.id);
            setPath('');
            setName('');
            setGenome(null);
            setDropped(null);
            setActive(0);
          }}
        >
          Import regions for this genome
        </Button>
        <Button onClick={onClose}>Done</Button>
      </>
    ) : (
      !busy && back(0)
    );
  } else if (active === 1) {
    if (kind === 'regions' && regionPreview) {
      body = (
        <>
          <RegionPreviewStep
            preview={regionPreview}
            gffTypes={gffTypes}
            onGffTypes={(types) => {
              setGffTypes(types);
              if (!regionSetNameTouched) setRegionSetName(defaultSetName(types, deriveStarts));
            }}
            deriveStarts={deriveStarts}
            onDeriveStarts={(on) => {
              setDeriveStarts(on);
              if (!regionSetNameTouched) setRegionSetName(defaultSetName(gffTypes, on));
            }}
            rename={rename}
            onRename={(m) => void applyRename(m)}
            tolerate={tolerate}
            onTolerate={setTolerate}
            setName={regionSetName}
            onSetName={(v) => (setRegionSetName(v), setRegionSetNameTouched(true))}
            nameError={errors.name}
            busy={busy === 'preview'}
            genomeNames={genomes.find((g) => g.id === genomeId)?.sequences.map((q) => q.name) ?? []}
          />
          {busy === 'regions' && <OperationProgress label={progressLabel} event={progress} cancel={cancelProps('Cancel import')} />}
          {!busy && cancelled?.work === 'regions' && <CancelledNotice work="regions" detail={cancelled.detail} />}
        </>
      );
      const blocked = (regionPreview.errorCount > 0 && !tolerate) || (regionPreview.format === 'gff3' && gffTypes.length === 0);
      footer = (
        <>
          {back(0)}
          <Button variant="default" onClick={() => void importRegions(true)} disabled={blocked || busy !== null}>
            Import and close
          </Button>
          <Button onClick={() => void importRegions(false)} loading={busy === 'regions'} disabled={blocked || busy === 'preview'}>
            Import and build a dataset
          </Button>
        </>
      );
    } else if (kind === 'table' && tablePreview) {
      body = <TablePreviewStep preview={tablePreview} />;
      footer = (
        <>
          {back(0)}
          <Button onClick={() => setActive(2)} disabled={tablePreview.errorCount > 0 || tablePreview.count === 0}>
            Next: dataset settings
          </Button>
        </>
      );
    }
  } else if (active === 2) {
    body =
      kind === 'table' ? (
        <TableSettingsForm value={tableSettings} onChange={(patch) => setTableSettings((s) => ({ ...s, ...patch }))} errors={errors} />
      ) : datasetGenome ? (
        <RegionSettingsForm value={regionSettings} onChange={(patch) => setRegionSettings((s) => ({ ...s, ...patch }))} genome={datasetGenome} sets={setsOfGenome} errors={errors} />
      ) : null;
    footer = (
      <>
        {!startFrom && kind === 'table' && back(1)}
        <Button onClick={() => (setError(null), setActive(3))}>Next: review</Button>
      </>
    );
  } else if (active === 3) {
    body = (
      <Stack gap="md">
        <BuildRecap kind={kind} regions={regionSettings} table={tableSettings} tablePreview={tablePreview} sets={setsOfGenome} genome={datasetGenome} path={path.trim()} />
        {busy === 'build' && <OperationProgress label={progressLabel} event={progress} cancel={cancelProps('Cancel build')} />}
        {!busy && cancelled?.work === 'build' && <CancelledNotice work="build" detail={cancelled.detail} />}
      </Stack>
    );
    footer = (
      <>
        {back(2)}
        <Button onClick={() => void build()} loading={busy === 'build'}>
          Build dataset
        </Button>
      </>
    );
  } else if (built) {
    body = (
      <Stack gap="md" aria-label="Built dataset" role="region">
        <DatasetSummaryView summary={built} />
      </Stack>
    );
    // The next step of the journey from here: a fine-tune with this dataset chosen.
    footer = (
      <>
        <Button variant="default" onClick={onClose}>
          Done
        </Button>
        <Button component="a" href={trainHref({ view: 'new', datasetId: built.id })} onClick={onClose} leftSection={<IconChartLine size={16} />}>
          Train a model on it
        </Button>
      </>
    );
  }

  return (
    <Modal opened onClose={close} title={built ? `Dataset built: ${built.name}` : 'Import data'} size={1040} closeOnClickOutside={false}>
      <Stack gap="md">
        {stepper}
        {showAlert && <ErrorAlert error={error} onClose={() => setError(null)} />}
        {body}
        <Group justify="flex-end" gap="sm" pt="xs" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          {!built && !genome && (
            <Button variant="subtle" color="gray" onClick={close} mr="auto">
              Cancel
            </Button>
          )}
          {footer}
        </Group>
      </Stack>
    </Modal>
  );
}
