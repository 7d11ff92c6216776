// The training wizard: dataset -> model -> mode and settings -> estimate, then Start. It lives in
// the page (not a dialog): a run is the page's main business, and the steps have room to breathe.
import { Anchor, Button, Card, Center, Group, Loader, Stack, Stepper, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPlayerPlay } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../../../../shared/contract';
import type { ProjectModel } from '../../../../../shared/contract/models';
import type { Estimate, ModelDefaults, RunSummary } from '../../../../../shared/contract/training';
import { toApiError } from '../../../../../shared/client';
import { useClient, useQuery } from '../../../api/context';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { trainHref } from '../route';
import { DatasetStep } from './DatasetStep';
import { EstimateStep } from './EstimateStep';
import { ModelStep } from './ModelStep';
import { SKEW_FOR_BALANCED, classSkew } from '../../../../../shared/class-weights';
import { advancedFields, formFromDefaults, formFromModelDefaults, issuePaths, missingFields, settingsFromForm, type FormField, type SettingsForm } from './settings-form';
import { SettingsStep } from './SettingsStep';

const steps = [
  ['Dataset', 'What to learn'],
  ['Model', 'What learns it'],
  ['Settings', 'How'],
  ['Estimate', 'Time and memory'],
] as const;

/** Which inputs an API error's issues concern. */
function issuesToFields(error: ApiError | null): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  for (const issue of error?.issues ?? []) {
    const field = (Object.keys(issuePaths) as FormField[]).find((f) => issue.path === issuePaths[f] || issue.path.startsWith(`${issuePaths[f]}.`));
    if (field && !out[field]) out[field] = issue.message;
  }
  return out;
}

interface Props {
  project: string;
  /** Chosen at the start (the Data page's "Train a model on it" after a build). */
  datasetId?: number | undefined;
  onStarted: (run: RunSummary) => void;
  onCancel: () => void;
}

export function TrainWizard({ project, datasetId: initialDataset, onStarted, onCancel }: Props) {
  const client = useClient();
  const datasets = useQuery('datasets.list', { project });
  const models = useQuery('models.list', { project });
  const catalog = useQuery('models.catalog', {});
  const defaults = useQuery('training.defaults', {});
  const [active, setActive] = useState(0);
  const [chosenDataset, setDatasetId] = useState<string | null>(initialDataset !== undefined ? String(initialDataset) : null);
  const [modelId, setModelId] = useState<string | null>(null);
  const [added, setAdded] = useState<ProjectModel[]>([]);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  // Class weights the user picked are kept; until then a skewed dataset gets balanced ones.
  const [weightsChosen, setWeightsChosen] = useState(false);
  const [localErrors, setLocalErrors] = useState<Partial<Record<FormField, string>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [busy, setBusy] = useState<'estimate' | 'start' | 'defaults' | null>(null);
  // The chosen model's defaults (its card's validated settings, else by family and size) and where they come from.
  const [modelDefaults, setModelDefaults] = useState<{ modelId: string; defaults: ModelDefaults } | null>(null);

  // The form starts from the service's defaults (DNABERT-2's protocol) once they arrive.
  if (!form && defaults.data) setForm(formFromDefaults(defaults.data));
  // One dataset: nothing to choose.
  const datasetId = chosenDataset ?? (datasets.data?.length === 1 ? String(datasets.data[0]!.id) : null);

  const modelList = [...(models.data ?? []), ...added.filter((a) => !models.data?.some((m) => m.id === a.id))];
  const dataset = datasets.data?.find((d) => String(d.id) === datasetId);
  const skew = dataset ? classSkew(dataset.splits.train.classCounts) : 1;
  const model = modelList.find((m) => String(m.id) === modelId);
  const fieldErrorsFromApi = issuesToFields(error);
  const errors = { ...fieldErrorsFromApi, ...localErrors };
  const apiFieldIssues = Object.keys(fieldErrorsFromApi).length > 0;

  function patch(p: Partial<SettingsForm>) {
    setForm((f) => (f ? { ...f, ...p } : f));
    setLocalErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(p)) delete next[k as FormField];
      return next;
    });
    // An edited input's message from the Node side no longer holds.
    setError((e) => {
      if (!e?.issues) return e;
      const edited = Object.keys(p).map((k) => issuePaths[k as FormField]).filter(Boolean);
      const issues = e.issues.filter((i) => !edited.some((path) => i.path === path || i.path.startsWith(`${path}.`)));
      return issues.length === e.issues.length ? e : issues.length ? new ApiError({ ...e.toBody(), issues }) : null;
    });
    setEstimate(null);
  }

  function input() {
    return { project, datasetId: Number(datasetId), modelId: Number(modelId), settings: settingsFromForm(form!) };
  }

  /** Settings problems belong on the settings step, under their inputs. */
  function failed(err: unknown) {
    const apiError = toApiError(err);
    setError(apiError);
    const fields = issuesToFields(apiError);
    const about = (path: string) => apiError.issues?.some((i) => i.path === path);
    if (about('datasetId')) setActive(0);
    else if (about('modelId')) setActive(1);
    else if (Object.keys(fields).length > 0) {
      setActive(2);
      if (Object.keys(fields).some((f) => advancedFields.includes(f as FormField))) setAdvancedOpen(true);
    }
  }

  async function runEstimate() {
    setBusy('estimate');
    setError(null);
    setEstimate(null);
    try {
      setEstimate(await client.call('training.estimate', input()));
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  }

  /** To the settings step; a newly chosen model first sets the settings its defaults decide. */
  async function toSettings() {
    if (modelId && modelDefaults?.modelId !== modelId) {
      setBusy('defaults');
      setError(null);
      try {
        const defaults = await client.call('training.modelDefaults', { project, modelId: Number(modelId) });
        setModelDefaults({ modelId, defaults });
        setForm((f) => (f ? { ...f, ...formFromModelDefaults(defaults.settings) } : f));
        setEstimate(null);
      } catch (err) {
        failed(err);
        return;
      } finally {
        setBusy(null);
      }
    }
    if (!weightsChosen && skew >= SKEW_FOR_BALANCED && Number.isFinite(skew)) setForm((f) => (f ? { ...f, classWeights: 'balanced' } : f));
    setActive(2);
  }

  function toEstimate() {
    if (!form) return;
    const missing = missingFields(form);
    setLocalErrors(missing);
    if (Object.keys(missing).length) {
      if (Object.keys(missing).some((f) => advancedFields.includes(f as FormField))) setAdvancedOpen(true);
      return;
    }
    setActive(3);
    void runEstimate();
  }

  async function start() {
    setBusy('start');
    setError(null);
    try {
      const run = await client.call('training.start', { ...input(), ...(form!.name.trim() && { name: form!.name.trim() }) });
      onStarted(run);
    } catch (err) {
      failed(err);
      setBusy(null);
    }
  }

  const loadError = datasets.error ?? models.error ?? catalog.error ?? defaults.error;


  let body: ReactNode = null;
  let footer: ReactNode = null;
  const back = (
    <Button variant="default" onClick={() => (setError(null), setActive((a) => a - 1))} disabled={busy === 'start'}>
      Back
    </Button>
  );
  if (!datasets.data || !models.data || !catalog.data || !form) {
    body = loadError ? (
      <ErrorAlert error={loadError} />
    ) : (
      <Center h={160}>
        <Loader size="sm" aria-label="Loading datasets and models" />
      </Center>
    );
  } else if (active === 0) {
    body = <DatasetStep datasets={datasets.data} value={datasetId} onChange={setDatasetId} />;
    footer = (
      <Button onClick={() => setActive(1)} disabled={!dataset}>
        Next: model
      </Button>
    );
  } else if (active === 1) {
    body = (
      <ModelStep
        project={project}
        models={modelList}
        catalog={catalog.data}
        value={modelId}
        onChange={setModelId}
        onAdded={(m) => {
          setAdded((a) => [...a, m]);
          models.reload();
        }}
      />
    );
    footer = (
      <>
        {back}
        <Button onClick={() => void toSettings()} disabled={!model} loading={busy === 'defaults'}>
          Next: settings
        </Button>
      </>
    );
  } else if (active === 2) {
    body = (
      <SettingsStep
        form={form}
        onChange={(p) => {
          if (p.classWeights !== undefined) setWeightsChosen(true);
          patch(p);
        }}
        errors={errors}
        skew={skew}
        advancedOpen={advancedOpen}
        onAdvanced={setAdvancedOpen}
        trainSize={dataset?.splits.train.sequences ?? null}
        defaultsSource={modelDefaults?.modelId === modelId ? modelDefaults.defaults.source : null}
      />
    );
    footer = (
      <>
        {back}
        <Button onClick={toEstimate}>Next: estimate</Button>
      </>
    );
  } else {
    body = <EstimateStep estimate={estimate} loading={busy === 'estimate'} dataset={dataset} model={model} settings={settingsFromForm(form)} name={form.name.trim()} />;
    footer = (
      <>
        {back}
        {!estimate && busy !== 'estimate' && (
          <Button variant="default" onClick={() => void runEstimate()}>
            Estimate again
          </Button>
        )}
        <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void start()} loading={busy === 'start'} disabled={busy === 'estimate'}>
          Start training
        </Button>
      </>
    );
  }

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Anchor href={trainHref({ view: 'runs' })} size="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden /> All runs
          </Group>
        </Anchor>
        <Title order={2} mt={4}>
          New training run
        </Title>
        <Text c="dimmed" size="sm">
          Fine-tune a model on one of the project’s datasets. The run works in the background; you can leave this page and come back.
        </Text>
      </div>
      <Card withBorder padding="lg">
        <Stack gap="lg">
          <Stepper active={active} size="sm" allowNextStepsSelect={false} onStepClick={(i) => busy === null && i < active && (setError(null), setActive(i))}>
            {steps.map(([label, description], i) => (
              <Stepper.Step key={label} label={label} description={i === 0 && dataset ? dataset.name : i === 1 && model ? model.name : description} loading={i === 3 && busy === 'estimate'} />
            ))}
          </Stepper>
          {error && !(active === 2 && apiFieldIssues) && <ErrorAlert error={error} onClose={() => setError(null)} />}
          {body}
          <Group justify="flex-end" gap="sm" pt="md" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
            <Button variant="subtle" color="gray" onClick={onCancel} mr="auto" disabled={busy === 'start'}>
              Cancel
            </Button>
            {footer}
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
