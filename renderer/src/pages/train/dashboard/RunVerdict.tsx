// The end-of-run verdict (shared/run-verdict): a plain warning when a finished run predicts one
// class or scores at chance, with what to try. Nothing when the run learned something.
import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { RunDetail, TestMetrics } from '../../../../../shared/contract/training';
import { judgeRun } from '../../../../../shared/run-verdict';

export function RunVerdict({ run, test }: { run: RunDetail; test: TestMetrics }) {
  const verdict = judgeRun(test, run.classNames, run.mode);
  if (!verdict) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={verdict.title} data-testid="run-verdict">
      {verdict.findings.map((f) => (
        <Text size="sm" key={f}>
          {f}
        </Text>
      ))}
      <Text size="sm" fw={500} mt="xs">
        What to try
      </Text>
      <List size="sm">
        {verdict.advice.map((a) => (
          <List.Item key={a}>{a}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
