// "Explain this region" (in-silico mutagenesis) and "Variant effects" (a VCF on this machine, or
// variants typed as chr:pos REF>ALT): pick a fine-tuning run's model or any classifier, the class
// to explain and the window (default: the training windows), then follow the job (positions or
// alleles done of total, time left) with pause and cancel, as the scan dialog does. The job runs in
// the background: closing the dialog leaves it running; the interpretations list shows it, the
// status bar's jobs too. A VCF the API refuses shows its problems with their line numbers.
import { Alert, Button, Group, Modal, NumberInput, Progress, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { JobProgress } from '../../../../../shared/contract/events';
import { ISM_MAX_BP, type InterpretKind } from '../../../../../shared/contract/interpret';
import { toApiError } from '../../../../../shared/client';
import { useClient, useEvent } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { PathInput } from '../../../components/PathInput';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { fieldErrors } from '../../../lib/errors';
import { ClassifierSelect, JobActionButtons, useClassifierSources, useJobActions } from '../scans/job-parts';
import { formatBp } from '../../../../../shared/bp';

export interface InterpretDialogProps {
  project: string;
  genomeId: number;
  kind: InterpretKind;
  /** ISM: the region to explain (0-based, half-open), e.g. the view or a called region. */
  region?: { chrom: string; start: number; end: number };
  chromosomes: { name: string; length: number }[];
  onClose: () => void;
  /** The finished run, to open under the view. */
  onOpen: (id: number) => void;
}

const TITLES: Record<InterpretKind, string> = { ism: 'Explain this region', variants: 'Variant effects' };

export function InterpretDialog({ project, genomeId, kind, region, chromosomes, onClose, onOpen }: InterpretDialogProps) {
  const client = useClient();
  const [source, setSource] = useState<string | null>(null);
  const sources = useClassifierSources(project, source);
  const { doneRuns, classifiers, sourceChoice } = sources;
  const [classIndex, setClassIndex] = useState<string | null>(null);
  const [window, setWindow] = useState<number | string>('');
  const [chrom, setChrom] = useState<string | null>(region?.chrom ?? chromosomes[0]?.name ?? null);
  const [start, setStart] = useState<number | string>(region ? region.start + 1 : 1);
  const [end, setEnd] = useState<number | string>(region ? Math.min(region.end, region.start + ISM_MAX_BP) : 200);
  const [input, setInput] = useState<'vcf' | 'typed'>('vcf');
  const [vcf, setVcf] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [started, setStarted] = useState<{ id: number; jobId: string } | null>(null);
  const [event, setEvent] = useState<JobProgress | null>(null);
  const actions = useJobActions(project, started?.jobId ?? null, setError);

  useEvent('job.progress', (e) => {
    if (started && e.jobId === started.jobId) setEvent(e);
  });

  const [sourceKind, sourceId] = (sourceChoice?.split(':') ?? []) as ['run' | 'model' | undefined, string | undefined];
  const classes = sourceKind === 'run' ? (doneRuns.find((r) => String(r.id) === sourceId)?.classNames ?? []) : (classifiers.find((m) => String(m.id) === sourceId)?.labels ?? []);
  // As the API: class 1 of a binary model, else class 0.
  const classChoice = classIndex ?? (classes.length ? String(classes.length === 2 ? 1 : 0) : null);
  const length = Number(end) - (Number(start) - 1);

  async function start_() {
    if (!sourceChoice) return;
    setBusy(true);
    setError(null);
    const common = {
      project,
      genomeId,
      ...(sourceKind === 'run' ? { runId: Number(sourceId) } : { modelId: Number(sourceId) }),
      ...(classChoice !== null && { classIndex: Number(classChoice) }),
      ...(window !== '' && { window: Number(window) }),
    };
    try {
      const r =
        kind === 'ism'
          ? await client.call('interpret.ism', { ...common, chrom: chrom ?? '', start: Math.max(0, Number(start) - 1), end: Number(end) })
          : await client.call('interpret.variants', {
              ...common,
              ...(input === 'vcf'
                ? { vcfPath: vcf.trim() }
                : {
                    variants: typed
                      .split('\n')
                      .map((l) => l.trim())
                      .filter(Boolean),
                  }),
            });
      setStarted(r);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const fields = fieldErrors(error, ['modelId', 'window', 'classIndex', 'chrom', 'start', 'end', 'vcfPath', 'variants'] as const);
  const unit = kind === 'ism' ? 'positions' : 'variant alleles';

  if (started) {
    const done = event?.metrics?.done ?? 0;
    const total = event?.metrics?.total ?? 0;
    const fraction = event?.fraction ?? (total > 0 ? done / total : null);
    const state = event?.state ?? 'queued';
    const active = state === 'running' || state === 'queued';
    const what = kind === 'ism' ? 'ISM' : 'Scoring the variants';
    return (
      <Modal opened onClose={onClose} title={kind === 'ism' ? 'Explaining the region' : 'Scoring variants'} size="lg">
        <Stack>
          <Stack gap={6} role="status" aria-label="Interpretation progress">
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {state === 'done' ? 'Finished' : state === 'paused' ? 'Paused' : state === 'failed' ? 'Failed' : state === 'cancelled' ? 'Cancelled' : `${what}…`}
              </Text>
              <Text size="xs" c="dimmed">
                {total > 0 ? `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}` : ''}
                {event?.metrics?.sequences ? ` · ${event.metrics.sequences.toLocaleString('en-US')} forward passes` : ''}
                {event?.etaSeconds && active ? ` · about ${Math.max(1, Math.round(event.etaSeconds))} s left` : ''}
              </Text>
            </Group>
            <Progress value={fraction === null ? 100 : fraction * 100} striped={fraction === null} animated={active} color={state === 'failed' ? 'red' : undefined} />
            <Text size="xs" c="dimmed">
              {event?.error ?? event?.message ?? 'Waiting for the job to start…'}
            </Text>
          </Stack>
          {error && <ErrorAlert error={error} />}
          <Group justify="space-between">
            <Group gap="xs">
              <JobActionButtons state={state} actions={actions} cancelLabel="Cancel" />
            </Group>
            <Group gap="xs">
              {state === 'done' && (
                <Button
                  onClick={() => {
                    onOpen(started.id);
                    onClose();
                  }}
                >
                  Show the result
                </Button>
              )}
              <Button variant="default" onClick={onClose}>
                {active ? 'Run in the background' : 'Close'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </Modal>
    );
  }

  const { noModel } = sources;
  const ready = !!sourceChoice && (kind === 'ism' ? !!chrom && length > 0 : input === 'vcf' ? vcf.trim() !== '' : typed.trim() !== '');
  return (
    <Modal opened onClose={onClose} title={TITLES[kind]} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          {kind === 'ism'
            ? `Every base of the region is changed to each of the other three, in a window centred on it as the model was trained, on both strands; the change in the class's probability shows which bases drive the prediction (up to ${formatBp(ISM_MAX_BP)}; 8 forward passes per base).`
            : 'Each variant is scored in a window centred on it, reference and alternative allele, on both strands: the change in the class probability and its log2 fold change. REF must match the genome; multi-allelic records are split; symbolic alleles and indels longer than the window are skipped with the reason.'}
        </Text>
        {noModel && (
          <Alert color="yellow" title="No classifier yet">
            Fine-tune a model on the Train page first; its run, or any classifier in the project, can then explain regions and score variants.
          </Alert>
        )}
        <ClassifierSelect
          sources={sources}
          onChange={(v) => {
            setSource(v);
            setClassIndex(null);
          }}
          error={fields.modelId}
        />
        <Group grow align="flex-start">
          <Select label="Class to explain" data={classes.map((c, i) => ({ value: String(i), label: c }))} value={classChoice} onChange={setClassIndex} error={fields.classIndex} allowDeselect={false} />
          <NumberInput label="Window (bp)" description="Default: the training windows' length" min={8} value={window} onChange={setWindow} error={fields.window} />
        </Group>
        {kind === 'ism' ? (
          <Group grow align="flex-start">
            <Select label="Chromosome" searchable data={chromosomes.map((c) => c.name)} value={chrom} onChange={setChrom} error={fields.chrom} allowDeselect={false} />
            <NumberInput label="From (1-based)" min={1} value={start} onChange={setStart} thousandSeparator="," error={fields.start} />
            <NumberInput label="To" min={1} value={end} onChange={setEnd} thousandSeparator="," error={fields.end} description={length > 0 ? formatBp(length) : undefined} />
          </Group>
        ) : (
          <Stack gap={6}>
            <SegmentedControl
              value={input}
              onChange={(v) => setInput(v as typeof input)}
              data={[
                { value: 'vcf', label: 'A VCF file' },
                { value: 'typed', label: 'Type variants' },
              ]}
            />
            {input === 'vcf' ? (
              <PathInput label="VCF file (plain or gzipped)" placeholder="/data/variants.vcf" value={vcf} onChange={(e) => setVcf(e.currentTarget.value)} error={fields.vcfPath} />
            ) : (
              <Textarea
                label="Variants"
                description="One a line, chr:pos REF>ALT, 1-based as in a VCF"
                placeholder={'chr1:2,500 A>G\nchr1:3,100 AT>A'}
                autosize
                minRows={3}
                maxRows={10}
                value={typed}
                onChange={(e) => setTyped(e.currentTarget.value)}
                error={fields.variants}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
            )}
          </Stack>
        )}
        {error && <ErrorAlert error={error} />}
        <ModalActions onCancel={onClose} confirmLabel={kind === 'ism' ? 'Start ISM' : 'Score variants'} busy={busy} disabled={!ready} onConfirm={() => void start_()} />
      </Stack>
    </Modal>
  );
}
