// Data: the open project's genomes, labelled region sets and datasets, and the import wizard that
// brings files in (by reference) and builds datasets from them.
import { Anchor, Badge, Button, Card, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconDatabase, IconDna, IconFileImport, IconFolders, IconTimeline } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import type { DatasetSummary, Genome, RegionSet } from '../../../../shared/contract/data';
import type { ApiError } from '../../../../shared/contract';
import { useClient, useEvent, useQuery, type QueryState } from '../../api/context';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { useProject } from '../../project/context';
import { ConfirmRemoveModal } from './ConfirmRemoveModal';
import { DatasetsTable } from './DatasetsTable';
import { DatasetViewModal } from './DatasetViewModal';
import { EmptyState } from './EmptyState';
import { ExportDatasetModal } from './ExportDatasetModal';
import { GenomesTable } from './GenomesTable';
import { LocateGenomeModal } from './LocateGenomeModal';
import { RegionSetsTable } from './RegionSetsTable';
import { ImportWizard } from './wizard/ImportWizard';

type Section = 'genomes' | 'regions' | 'datasets';
const sections: Section[] = ['genomes', 'regions', 'datasets'];

/** The section lives in the address (`#/data/datasets`) so a reload keeps it. */
function sectionFromHash(): Section {
  const sub = window.location.hash.replace(/^#\/?/, '').split('/')[1];
  return sections.find((s) => s === sub) ?? 'genomes';
}

type Dialog =
  | { kind: 'import'; from?: RegionSet }
  | { kind: 'locate'; genome: Genome }
  | { kind: 'remove-genome'; genome: Genome }
  | { kind: 'remove-set'; set: RegionSet }
  | { kind: 'view'; dataset: DatasetSummary }
  | { kind: 'export'; dataset: DatasetSummary }
  | { kind: 'remove-dataset'; dataset: DatasetSummary }
  | null;

function NoProject() {
  return (
    <Card withBorder padding="xl" maw={640}>
      <EmptyState icon={IconFolders} title="No project open">
        Genomes, region sets and datasets live in a project. <Anchor href="#/projects">Open or create a project</Anchor> on the Projects page, then come back here to import your data.
      </EmptyState>
    </Card>
  );
}

function Loading({ label }: { label: string }) {
  return (
    <Center h={120}>
      <Loader size="sm" aria-label={label} />
    </Center>
  );
}

export default function DataPage() {
  const { project } = useProject();
  if (!project) {
    return (
      <Stack gap="lg" maw={1200}>
        <Title order={2}>Data</Title>
        <NoProject />
      </Stack>
    );
  }
  return <ProjectData project={project.path} />;
}

function ProjectData({ project }: { project: string }) {
  const client = useClient();
  const { refresh } = useProject();
  const genomes = useQuery('genomes.list', { project });
  const regionSets = useQuery('regions.list', { project });
  const datasets = useQuery('datasets.list', { project });
  const [section, setSection] = useState<Section>(sectionFromHash);
  const [dialog, setDialog] = useState<Dialog>(null);

  function reloadAll() {
    genomes.reload();
    regionSets.reload();
    datasets.reload();
  }

  // Imports and builds (from this tab, another tab or the CLI) announce themselves here.
  useEvent('project.changed', (change) => {
    if (change.path === project) reloadAll();
  });

  function show(next: Section) {
    setSection(next);
    window.history.replaceState(null, '', `#/data/${next}`);
  }

  const g = genomes.data ?? [];
  const r = regionSets.data ?? [];
  const d = datasets.data ?? [];
  const listError: ApiError | undefined = genomes.error ?? regionSets.error ?? datasets.error;
  const close = () => setDialog(null);
  const changed = () => {
    reloadAll();
    void refresh(); // the header's counts
  };

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Data</Title>
          <Text c="dimmed" size="sm">
            Genomes and labelled regions are read where they lie (never copied); datasets store their sequences in the project.
          </Text>
        </div>
        <Button leftSection={<IconFileImport size={16} />} onClick={() => setDialog({ kind: 'import' })}>
          Import…
        </Button>
      </Group>

      {listError && <ErrorAlert error={listError} />}

      <Card withBorder padding={0}>
        <Tabs value={section} onChange={(v) => v && show(v as Section)} keepMounted={false}>
          <Tabs.List px="md" pt="xs">
            <SectionTab value="genomes" label="Genomes" icon={<IconDna size={16} />} query={genomes} />
            <SectionTab value="regions" label="Region sets" icon={<IconTimeline size={16} />} query={regionSets} />
            <SectionTab value="datasets" label="Datasets" icon={<IconDatabase size={16} />} query={datasets} />
          </Tabs.List>

          <Tabs.Panel value="genomes" p="md">
            {!genomes.data && genomes.loading ? (
              <Loading label="Loading genomes" />
            ) : g.length === 0 ? (
              <EmptyState icon={IconDna} title="No genomes yet" action={{ label: 'Import a genome…', onClick: () => setDialog({ kind: 'import' }) }}>
                Start with the reference genome: a FASTA file, plain, gzip or bgzip. Loci indexes it where it lies and checks every later step against it.
              </EmptyState>
            ) : (
              <GenomesTable genomes={g} onLocate={(genome) => setDialog({ kind: 'locate', genome })} onRemove={(genome) => setDialog({ kind: 'remove-genome', genome })} />
            )}
          </Tabs.Panel>

          <Tabs.Panel value="regions" p="md">
            {!regionSets.data && regionSets.loading ? (
              <Loading label="Loading region sets" />
            ) : r.length === 0 ? (
              <EmptyState
                icon={IconTimeline}
                title="No region sets yet"
                action={{ label: 'Import regions…', onClick: () => setDialog({ kind: 'import' }), disabled: g.length === 0 }}
              >
                {g.length === 0
                  ? 'Import a genome first: regions are positions on it.'
                  : 'Import the regions you want a model to recognise: a BED file (peaks, sites) or a GFF3 annotation (genes, CDS, or their start sites).'}
              </EmptyState>
            ) : (
              <RegionSetsTable sets={r} genomes={g} onBuild={(set) => setDialog({ kind: 'import', from: set })} onRemove={(set) => setDialog({ kind: 'remove-set', set })} />
            )}
          </Tabs.Panel>

          <Tabs.Panel value="datasets" p="md">
            {!datasets.data && datasets.loading ? (
              <Loading label="Loading datasets" />
            ) : d.length === 0 ? (
              <EmptyState icon={IconDatabase} title="No datasets yet" action={{ label: 'Import and build…', onClick: () => setDialog({ kind: 'import' }) }}>
                A dataset is what a model trains on: labelled sequences split into train, dev and test. Build one from a region set (with matched negatives), or import a labelled CSV, TSV or FASTA.
              </EmptyState>
            ) : (
              <DatasetsTable
                datasets={d}
                genomes={g}
                onView={(dataset) => setDialog({ kind: 'view', dataset })}
                onExport={(dataset) => setDialog({ kind: 'export', dataset })}
                onRemove={(dataset) => setDialog({ kind: 'remove-dataset', dataset })}
              />
            )}
          </Tabs.Panel>
        </Tabs>
      </Card>

      {dialog?.kind === 'import' && <ImportWizard project={project} genomes={g} regionSets={r} {...(dialog.from && { startFrom: dialog.from })} onClose={close} onChanged={changed} />}
      {dialog?.kind === 'locate' && <LocateGenomeModal project={project} genome={dialog.genome} onClose={close} onLocated={changed} />}
      {dialog?.kind === 'view' && <DatasetViewModal project={project} dataset={dialog.dataset} onClose={close} />}
      {dialog?.kind === 'export' && <ExportDatasetModal project={project} dataset={dialog.dataset} onClose={close} />}
      {dialog?.kind === 'remove-genome' && (
        <ConfirmRemoveModal
          title="Remove genome"
          confirmLabel="Remove genome"
          onConfirm={() => client.call('genomes.remove', { project, id: dialog.genome.id })}
          done={{ title: 'Genome removed', message: `${dialog.genome.name} was removed from the project; the file was kept.` }}
          onClose={close}
          onRemoved={changed}
        >
          Remove <b>{dialog.genome.name}</b> and its {r.filter((s) => s.genomeId === dialog.genome.id).length} region set(s) from the project? Datasets keep their sequences. The FASTA file itself is not touched.
        </ConfirmRemoveModal>
      )}
      {dialog?.kind === 'remove-set' && (
        <ConfirmRemoveModal
          title="Remove region set"
          confirmLabel="Remove region set"
          onConfirm={() => client.call('regions.remove', { project, id: dialog.set.id })}
          done={{ title: 'Region set removed', message: `${dialog.set.name} was removed; the file was kept.` }}
          onClose={close}
          onRemoved={changed}
        >
          Remove <b>{dialog.set.name}</b> ({dialog.set.count.toLocaleString()} regions) from the project? Datasets built from it keep their sequences; the source file is not touched.
        </ConfirmRemoveModal>
      )}
      {dialog?.kind === 'remove-dataset' && (
        <ConfirmRemoveModal
          title="Delete dataset"
          confirmLabel="Delete dataset"
          onConfirm={() => client.call('datasets.remove', { project, id: dialog.dataset.id })}
          done={{ title: 'Dataset deleted', message: `${dialog.dataset.name} was deleted from the project.` }}
          onClose={close}
          onRemoved={changed}
        >
          Delete <b>{dialog.dataset.name}</b> and its {dialog.dataset.total.toLocaleString()} sequences from the project? It can be built again from the same inputs and seed.
        </ConfirmRemoveModal>
      )}
    </Stack>
  );
}

function SectionTab({ value, label, icon, query }: { value: Section; label: string; icon: ReactNode; query: QueryState<unknown[]> }) {
  const count = query.data?.length;
  return (
    <Tabs.Tab value={value} leftSection={icon} rightSection={count !== undefined ? <Badge size="xs" variant="light" circle={count < 10}>{count}</Badge> : null}>
      {label}
    </Tabs.Tab>
  );
}
