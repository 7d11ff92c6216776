// Step 4: what the run will cost on this machine before it starts: time per epoch and in total, peak
// memory, the backend, how the figures were made (a short measured benchmark) and any warnings.
import { Alert, Center, Group, List, Loader, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconClockHour4 } from '@tabler/icons-react';
import type { DatasetSummary } from '../../../../../shared/contract/data';
import type { ProjectModel } from '../../../../../shared/contract/models';
import type { Estimate } from '../../../../../shared/contract/training';
import { StatTile } from '../../../components/StatTile';
import { formatBytes } from '../../../../../shared/bytes';
import { duration, lr, modeLabel, rate } from '../format';
import type { SettingsInput } from './settings-form';
import { FactsTable } from '../../../components/FactsTable';

interface Props {
  estimate: Estimate | null;
  loading: boolean;
  dataset: DatasetSummary | undefined;
  model: ProjectModel | undefined;
  settings: SettingsInput;
  name: string;
}

export function EstimateStep({ estimate, loading, dataset, model, settings, name }: Props) {
  const probe = (settings.mode ?? 'full') === 'probe';
  const rows: Array<[string, string]> = [
    ['Run', name || `${model?.name ?? 'model'} on ${dataset?.name ?? 'dataset'} (automatic)`],
    ['Dataset', dataset ? `${dataset.name}: ${dataset.splits.train.sequences.toLocaleString()} train / ${dataset.splits.dev.sequences.toLocaleString()} dev / ${dataset.splits.test.sequences.toLocaleString()} test` : '—'],
    ['Model', model ? `${model.name} (${model.shape.architectureLabel})` : '—'],
    ['Mode', modeLabel[settings.mode ?? 'full']],
    ['Length', probe ? 'one pass over the sequences (epochs and steps do not apply)' : settings.maxSteps !== undefined ? `${settings.maxSteps.toLocaleString()} steps` : `${settings.epochs ?? 3} epochs`],
    ['Batch · learning rate', `${settings.batchSize ?? 32} · ${lr(settings.lr ?? 3e-5)}`],
    // Said here too: the wizard picks balanced weights for skewed classes, behind Advanced settings.
    ...(settings.classWeights === 'balanced' ? ([['Class weights', 'balanced: rare classes count more']] as Array<[string, string]>) : []),
  ];
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Paper withBorder radius="md" p={0}>
          <FactsTable rows={rows} label="Run summary" labelWidth={170} quietLabels verticalSpacing={6} />
        </Paper>
        {loading || !estimate ? (
          <Center mih={160} role="status" aria-label="Estimating">
            <Stack align="center" gap="xs">
              <Loader size="sm" />
              <Text size="sm" c="dimmed">
                Measuring a few steps on this machine…
              </Text>
            </Stack>
          </Center>
        ) : (
          <Stack gap="sm" role="region" aria-label="Estimate">
            <SimpleGrid cols={2} spacing="xs">
              <StatTile label="Total time" value={`≈ ${duration(estimate.seconds)}`} testId="estimate-total" />
              {probe ? (
                <StatTile label="Passes" value="1" hint="A probe reads each sequence once: no epochs" />
              ) : (
                <StatTile label="Per epoch" value={duration(estimate.secondsPerEpoch)} hint={`${estimate.stepsPerEpoch.toLocaleString()} steps`} />
              )}
              <StatTile label="Peak memory" value={formatBytes(estimate.peakMemoryBytes)} />
              <StatTile label="Backend" value={estimate.backend} />
            </SimpleGrid>
            {estimate.range && (
              <Text size="sm" data-testid="estimate-range">
                Probably between {duration(estimate.range.low)} and {duration(estimate.range.high)}: timings on this machine vary from step to step and with other work running.
              </Text>
            )}
            {estimate.phases && estimate.phases.length > 0 ? (
              <List size="sm" spacing={2} aria-label="What the run does" data-testid="estimate-phases">
                {estimate.phases.map((ph) => (
                  <List.Item key={ph.label}>
                    {ph.label}: ≈ {duration(ph.seconds)}
                  </List.Item>
                ))}
              </List>
            ) : null}
            <Text size="sm">
              {probe ? `Embedding at about ${rate(estimate.tokensPerSecond)}` : `${estimate.totalSteps.toLocaleString()} steps at about ${rate(estimate.tokensPerSecond)}`}, sequences cut at {estimate.maxLength.toLocaleString()} tokens.
            </Text>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <IconClockHour4 size={14} style={{ marginTop: 3, flexShrink: 0 }} aria-hidden />
              <Text size="xs" c="dimmed">
                {estimate.basis}
              </Text>
            </Group>
          </Stack>
        )}
      </SimpleGrid>
      {estimate && estimate.warnings.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle />} title="Before you start">
          <List size="sm" spacing={2}>
            {estimate.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
