// One run, live: state, step and ETA, throughput, the curves as they grow, checkpoints, and at the
// end the test results and the saved model. Pause, resume and cancel act on the job; the page only
// listens to events, so it never waits on the training itself.
import { Alert, Anchor, Badge, Button, Card, Center, Grid, Group, Loader, Modal, Progress, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconPlayerPause, IconPlayerPlay, IconPlayerStop, IconScan } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { RunDetail } from '../../../../../shared/contract/training';
import { toApiError } from '../../../../../shared/client';
import { useClient, useQuery } from '../../../api/context';
import { StatTile } from '../../../components/StatTile';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { formatDate } from '../../../lib/format';
import { notifyFailure, notifySuccess } from '../../../lib/notify';
import { duration, loss, lr, metric, modeLabel, rate, resumableStates, stateColor } from '../format';
import { trainHref } from '../route';
import { genomeHref } from '../../genome/route';
import { ScanDialog } from '../../genome/scans/ScanDialog';
import { Checkpoints } from './Checkpoints';
import { Curves } from './Curves';
import { NotLearningAlert } from './NotLearningAlert';
import { TestResults } from './TestResults';
import { useLiveRun } from './use-live-run';
import { settingsRows } from '../../../../../shared/run-settings';
import { FactsTable } from '../../../components/FactsTable';

type Action = 'pause' | 'resume' | 'cancel';

export function RunDashboard({ project, runId }: { project: string; runId: number }) {
  const client = useClient();
  const { run, error, train, dev, progress, state, reload } = useLiveRun(project, runId);
  const models = useQuery('models.list', { project });
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [scanning, setScanning] = useState(false);
  // The genome the run's dataset was cut from: where "Scan genome" and the loci links go.
  const datasets = useQuery('datasets.list', { project });

  async function act(action: Action) {
    setBusy(action);
    setActionError(null);
    try {
      const method = action === 'pause' ? 'training.pause' : action === 'resume' ? 'training.resume' : 'training.cancel';
      const summary = await client.call(method, { project, runId });
      if (action === 'cancel') notifySuccess('Run cancelled', `${summary.name} stopped${summary.bestStep !== null ? `; its best checkpoint (step ${summary.bestStep.toLocaleString()}) is kept` : ''}.`);
      reload();
    } catch (err) {
      const apiError = toApiError(err);
      setActionError(apiError);
      notifyFailure(`Could not ${action} the run`, apiError);
    } finally {
      setBusy(null);
      setConfirmCancel(false);
    }
  }

  if (!run) {
    return (
      <Stack gap="lg" maw={1200}>
        <BackLink />
        {error ? (
          <ErrorAlert error={error} />
        ) : (
          <Center h={200}>
            <Loader aria-label="Loading the run" />
          </Center>
        )}
      </Stack>
    );
  }

  const shownState = state ?? run.state;
  const step = progress?.step ?? run.step;
  const total = progress?.total ?? run.totalSteps;
  const lastTrain = train[train.length - 1];
  const tokensPerSecond = lastTrain?.tokensPerSecond ?? progress?.metrics?.tokensPerSecond ?? run.throughput.tokensPerSecond;
  const bestDev = dev.length ? dev.reduce((a, b) => (b.loss < a.loss ? b : a)) : null;
  const bestStep = run.bestStep ?? bestDev?.step ?? null;
  const running = shownState === 'running' || shownState === 'queued';
  const canResume = resumableStates.has(shownState);
  // Between the cancel/pause request and the job's end the run is still 'running': say so, and
  // offer no second stop (the runner's message is 'Cancelling' / 'Pausing: ...').
  const stopping = shownState === 'running' && /^(Cancelling|Pausing)/.test(progress?.message ?? '');
  const canCancel = !stopping && (shownState === 'running' || shownState === 'queued' || shownState === 'paused');
  const genomeId = datasets.data?.find((d) => d.id === run.datasetId)?.genomeId ?? null;
  const canScan = shownState === 'done' && run.outputModelId !== null && genomeId !== null;
  const locusHref = genomeId !== null ? (l: { chrom: string; start: number; end: number }) => genomeHref({ chrom: l.chrom, start: l.start, end: l.end, genomeId }) : undefined;

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <BackLink />
        <Group justify="space-between" align="flex-start" mt={4} gap="md" wrap="nowrap">
          <div style={{ flex: 1, minWidth: 0 }}>
            <Group gap="sm" align="center">
              <Title order={2}>{run.name}</Title>
              <Badge size="lg" variant="light" color={stateColor[shownState]} data-testid="run-state">
                {stopping ? (progress?.message.startsWith('Cancelling') ? 'cancelling' : 'pausing') : shownState}
              </Badge>
            </Group>
            <Text c="dimmed" size="sm">
              {modeLabel[run.mode]} of <b>{run.modelName}</b> on <b>{run.datasetName}</b> ({run.classNames.join(' · ')}) · started {formatDate(run.createdAt)}
            </Text>
          </div>
          <Group gap="xs" wrap="nowrap">
            {canScan && (
              <Button leftSection={<IconScan size={16} />} onClick={() => setScanning(true)}>
                Scan genome
              </Button>
            )}
            {shownState === 'running' && !stopping && (
              <Button variant="default" leftSection={<IconPlayerPause size={16} />} onClick={() => void act('pause')} loading={busy === 'pause'}>
                Pause
              </Button>
            )}
            {canResume && (
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void act('resume')} loading={busy === 'resume'}>
                Resume
              </Button>
            )}
            {canCancel && (
              <Button variant="light" color="red" leftSection={<IconPlayerStop size={16} />} onClick={() => setConfirmCancel(true)} disabled={busy !== null}>
                Cancel run
              </Button>
            )}
          </Group>
        </Group>
      </div>

      {actionError && <ErrorAlert error={actionError} onClose={() => setActionError(null)} />}
      {(shownState === 'failed' || shownState === 'interrupted') && (
        <Alert color={shownState === 'failed' ? 'red' : 'orange'} variant="light" icon={<IconAlertTriangle />} title={shownState === 'failed' ? 'The run failed' : 'The run was interrupted'}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
              {run.error ?? (shownState === 'interrupted' ? 'Loci stopped while the run was working (closed, or the machine slept).' : 'No reason was recorded.')}
            </Text>
            <Text size="sm">Resume continues from the last checkpoint.</Text>
            <Button size="xs" leftSection={<IconPlayerPlay size={14} />} onClick={() => void act('resume')} loading={busy === 'resume'}>
              Resume from the last checkpoint
            </Button>
          </Stack>
        </Alert>
      )}
      {shownState === 'paused' && (
        <Alert color="yellow" variant="light" icon={<IconPlayerPause />} title="Paused">
          The run stopped at a checkpoint and frees the machine. Resume continues from there with the same data order.
        </Alert>
      )}

      <Card withBorder padding="md" aria-label="Progress" component="section">
        <Stack gap="sm">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {progress?.message || (shownState === 'done' ? 'Finished' : shownState === 'queued' ? 'Waiting for the compute device…' : ' ')}
            </Text>
            <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {total ? `${Math.round((100 * (step ?? 0)) / total)}%` : ''}
            </Text>
          </Group>
          <Progress
            value={total ? (100 * (step ?? 0)) / total : 0}
            animated={running}
            striped={running}
            color={stateColor[shownState]}
            aria-label={`Step ${step ?? 0} of ${total ?? '?'}`}
          />
          <Group gap="xs" align="stretch">
            <StatTile label="Step" value={`${(step ?? 0).toLocaleString()} / ${total ? total.toLocaleString() : '—'}`} testId="run-step" />
            <StatTile label="Time left" value={running && progress?.etaSeconds ? duration(progress.etaSeconds) : '—'} testId="run-eta" />
            <StatTile label="Throughput" value={rate(tokensPerSecond)} hint="Tokens per second in training (the latest logged step)" />
            <StatTile label="Backend" value={run.backend ?? '—'} />
            <StatTile label="Best dev loss" value={loss(run.bestDevLoss ?? bestDev?.loss)} hint={bestStep !== null ? `at step ${bestStep}` : undefined} />
            <StatTile label="Dev MCC" value={metric(dev[dev.length - 1]?.mcc)} hint="At the latest evaluation" />
            {lastTrain && <StatTile label="Learning rate" value={lr(lastTrain.lr)} />}
          </Group>
        </Stack>
      </Card>

      <NotLearningAlert
        dev={dev}
        numClasses={run.classNames.length}
        lr={run.settings.lr}
        parameters={models.data?.find((m) => m.id === run.modelId)?.shape.parameters ?? null}
        active={canCancel}
      />

      <Curves train={train} dev={dev} bestStep={bestStep} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Checkpoints checkpoints={run.checkpoints} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <SettingsCard run={run} />
        </Grid.Col>
      </Grid>

      {run.test ? (
        <TestResults run={run} test={run.test} locusHref={locusHref} />
      ) : shownState === 'done' ? null : shownState === 'cancelled' ? (
        <Text size="sm" c="dimmed" data-testid="no-test-results">
          The run was cancelled before its test: it has no test metrics.{run.bestStep !== null ? ` Its best checkpoint (step ${run.bestStep.toLocaleString()}) is kept.` : ''}
        </Text>
      ) : (
        <Text size="sm" c="dimmed" data-testid="no-test-results">
          Test metrics, the confusion matrix and the examples the model gets wrong appear here when the run finishes.
        </Text>
      )}

      {scanning && genomeId !== null && <ScanDialog project={project} runId={run.id} genomeId={genomeId} onClose={() => setScanning(false)} />}
      <Modal opened={confirmCancel} onClose={() => setConfirmCancel(false)} title="Cancel this run?">
        <Stack>
          <Text size="sm">
            <b>{run.name}</b> stops for good and cannot be resumed. Its best checkpoint so far is kept. To stop for now and continue later, pause it instead.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmCancel(false)}>
              Keep training
            </Button>
            <Button color="red" onClick={() => void act('cancel')} loading={busy === 'cancel'}>
              Cancel the run
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function BackLink() {
  return (
    <Anchor href={trainHref({ view: 'runs' })} size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden /> All runs
      </Group>
    </Anchor>
  );
}

function SettingsCard({ run }: { run: RunDetail }) {
  const rows = settingsRows(run.settings, run.backend);
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="settings-title">
      <Title order={3} size="h5" id="settings-title" mb="xs">
        Settings
      </Title>
      <FactsTable rows={rows} label="Run settings" labelWidth={160} quietLabels verticalSpacing={3} />
    </Card>
  );
}
