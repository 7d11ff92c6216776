// Models: the pre-trained models bundled with Loci (as cards, with their model cards), and the open
// project's models (bundled, imported Hugging Face folders, from-scratch baselines, fine-tuned),
// with import, baseline, export, locate and remove; Benchmark runs the GUE protocol on task folders.
import { Anchor, Button, Card, Center, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconBox, IconChartBar, IconFolderOpen, IconPlus, IconSeeding } from '@tabler/icons-react';
import { useState } from 'react';
import type { MethodInput } from '../../../../shared/contract';
import type { ProjectModel } from '../../../../shared/contract/models';
import { toApiError } from '../../../../shared/client';
import { useClient, useEvent, useQuery } from '../../api/context';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { notifyFailure, notifySuccess } from '../../lib/notify';
import { useProject } from '../../project/context';
import { AdaptationRuns } from './AdaptationRuns';
import { AdaptModelModal } from './AdaptModelModal';
import { BaselineModal } from './BaselineModal';
import { BenchmarkModal } from './BenchmarkModal';
import { BenchmarkRuns } from './BenchmarkRuns';
import { CatalogCard } from './CatalogCard';
import { ExportModelModal } from './ExportModelModal';
import { ImportModelModal } from './ImportModelModal';
import { LocateModelModal } from './LocateModelModal';
import { ModelCardModal } from './ModelCardModal';
import { ModelsTable } from './ModelsTable';
import { RemoveModelModal } from './RemoveModelModal';

type Dialog =
  | { kind: 'card'; title: string; input: MethodInput<'models.card'> }
  | { kind: 'import' }
  | { kind: 'baseline' }
  | { kind: 'benchmark' }
  | { kind: 'export'; model: ProjectModel }
  | { kind: 'locate'; model: ProjectModel }
  | { kind: 'remove'; model: ProjectModel }
  | { kind: 'adapt'; model: ProjectModel }
  | null;

export default function ModelsPage() {
  const client = useClient();
  const { project, refresh } = useProject();
  const path = project?.path ?? null;
  const catalog = useQuery('models.catalog', {});
  const models = useQuery('models.list', path ? { project: path } : null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [adding, setAdding] = useState<string | null>(null);

  useEvent('project.changed', (change) => {
    if (change.path === path) models.reload();
  });

  const changed = () => {
    models.reload();
    void refresh(); // the header's counts
  };

  async function addBundled(name: string) {
    if (!path) return;
    setAdding(name);
    try {
      const m = await client.call('models.addBundled', { project: path, name });
      notifySuccess('Model added', `${m.name} is now in ${project?.name ?? 'the project'}`);
      changed();
    } catch (err) {
      notifyFailure(`Could not add ${name}`, toApiError(err));
    } finally {
      setAdding(null);
    }
  }

  const bundledInProject = new Set((models.data ?? []).filter((m) => m.kind === 'bundled').map((m) => m.source));
  const close = () => setDialog(null);

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Models</Title>
        <Text c="dimmed" size="sm">
          DNA language models to fine-tune: the ones bundled with Loci, Hugging Face folders you downloaded, and from-scratch baselines to compare them with.
        </Text>
      </div>

      <section aria-labelledby="catalog-heading">
        <Title order={3} id="catalog-heading" size="h4" mb="sm">
          Bundled with Loci
        </Title>
        {catalog.error && <ErrorAlert error={catalog.error} />}
        {!catalog.data && catalog.loading && (
          <Center h={120}>
            <Loader size="sm" aria-label="Loading the catalog" />
          </Center>
        )}
        {catalog.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            This installation ships no pre-trained models. Import a Hugging Face folder into a project instead.
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {catalog.data?.map((m) => (
            <CatalogCard
              key={m.name}
              model={m}
              inProject={path ? bundledInProject.has(m.name) : null}
              adding={adding === m.name}
              onAdd={() => void addBundled(m.name)}
              onViewCard={() => setDialog({ kind: 'card', title: m.name, input: { bundled: m.name } })}
            />
          ))}
        </SimpleGrid>
      </section>

      <section aria-labelledby="project-models-heading">
        <Group justify="space-between" align="flex-end" mb="sm">
          <div>
            <Title order={3} id="project-models-heading" size="h4">
              {project ? `Models in ${project.name}` : 'Project models'}
            </Title>
          </div>
          {path && (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconChartBar size={16} />} onClick={() => setDialog({ kind: 'benchmark' })} disabled={!models.data?.length}>
                Benchmark…
              </Button>
              <Button variant="default" leftSection={<IconSeeding size={16} />} onClick={() => setDialog({ kind: 'baseline' })}>
                New from-scratch baseline
              </Button>
              <Button leftSection={<IconFolderOpen size={16} />} onClick={() => setDialog({ kind: 'import' })}>
                Import a Hugging Face folder
              </Button>
            </Group>
          )}
        </Group>
        <Card withBorder padding={path && models.data?.length ? 0 : 'xl'}>
          {!path ? (
            <Text size="sm" c="dimmed" ta="center">
              Models live in a project. <Anchor href="#/projects">Open or create a project</Anchor> to add one.
            </Text>
          ) : models.error ? (
            <ErrorAlert error={models.error} />
          ) : !models.data ? (
            <Center h={80}>
              <Loader size="sm" aria-label="Loading the project's models" />
            </Center>
          ) : models.data.length === 0 ? (
            <Stack align="center" gap="xs" ta="center">
              <IconBox size={32} aria-hidden opacity={0.5} />
              <Text fw={600}>No models in this project yet</Text>
              <Text size="sm" c="dimmed" maw={560}>
                Add a bundled model above, import a DNABERT-2 or DNABERT folder from the Hugging Face Hub, or make a from-scratch baseline.
              </Text>
              <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'import' })}>
                Import a Hugging Face folder
              </Button>
            </Stack>
          ) : (
            <ModelsTable
              models={models.data}
              onCard={(m) => setDialog({ kind: 'card', title: m.name, input: { project: path, id: m.id } })}
              onExport={(model) => setDialog({ kind: 'export', model })}
              onLocate={(model) => setDialog({ kind: 'locate', model })}
              onRemove={(model) => setDialog({ kind: 'remove', model })}
              onAdapt={(model) => setDialog({ kind: 'adapt', model })}
            />
          )}
        </Card>
      </section>

      {path && <BenchmarkRuns key={`b-${path}`} project={path} />}
      {path && <AdaptationRuns key={path} project={path} modelNames={new Map((models.data ?? []).map((m) => [m.id, m.name]))} />}

      {dialog?.kind === 'card' && <ModelCardModal title={dialog.title} input={dialog.input} onClose={close} />}
      {path && dialog?.kind === 'import' && <ImportModelModal project={path} onClose={close} onImported={changed} />}
      {path && dialog?.kind === 'benchmark' && <BenchmarkModal project={path} models={models.data ?? []} onClose={close} onStarted={changed} />}
      {path && dialog?.kind === 'baseline' && <BaselineModal project={path} onClose={close} onCreated={changed} />}
      {path && dialog?.kind === 'export' && <ExportModelModal project={path} model={dialog.model} onClose={close} />}
      {path && dialog?.kind === 'locate' && <LocateModelModal project={path} model={dialog.model} onClose={close} onLocated={changed} />}
      {path && dialog?.kind === 'adapt' && <AdaptModelModal project={path} model={dialog.model} onClose={close} onStarted={changed} />}
      {path && dialog?.kind === 'remove' && <RemoveModelModal project={path} model={dialog.model} onClose={close} onRemoved={changed} />}
    </Stack>
  );
}
