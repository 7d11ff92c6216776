// While a run trains: a warning when its dev evaluations stay at chance (shared/learning-check.ts),
// with what to change. The end-of-run verdict is another component; this one shows only while the
// run can still be stopped and restarted with other settings.
import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { notLearning, type DevPoint } from '../../../../../shared/learning-check';

interface Props {
  dev: readonly DevPoint[];
  numClasses: number;
  lr: number;
  parameters: number | null;
  /** Shown only while the run is queued, running or paused. */
  active: boolean;
}

export function NotLearningAlert({ dev, numClasses, lr, parameters, active }: Props) {
  if (!active) return null;
  const w = notLearning(dev, { numClasses, lr, parameters });
  if (!w) return null;
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="This run is not learning" data-testid="not-learning">
      <Text size="sm">{w.message}</Text>
      <Text size="sm" mt="xs">
        What to change (cancel and start a new run):
      </Text>
      <List size="sm" mt={4}>
        {w.suggestions.map((s) => (
          <List.Item key={s}>{s}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
