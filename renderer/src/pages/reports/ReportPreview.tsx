// A stored report shown as it is: its own HTML in an iframe sandboxed with no permissions at all
// (no scripts, no forms, an opaque origin), so a report can never act on the app. The HTML is
// self-contained (inline styles and SVG only), which the app's CSP and the report's own allow.
import { Alert, Center, Loader, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '../../api/context';
import { ErrorAlert } from '../../lib/ErrorAlert';

export function ReportPreview({ project, id, height }: { project: string; id: number; height: string }) {
  const report = useQuery('reports.get', { project, id });
  if (report.error) return <ErrorAlert error={report.error} />;
  if (!report.data || report.data.id !== id) {
    return (
      <Center h={200}>
        <Loader size="sm" aria-label="Loading the report" />
      </Center>
    );
  }
  return (
    <Stack gap="xs">
      {report.data.notes.map((n) => (
        <Alert key={n} color="yellow" icon={<IconAlertTriangle size={16} />} p="xs">
          {n}
        </Alert>
      ))}
      <iframe title={`Preview: ${report.data.title}`} sandbox="" srcDoc={report.data.html} style={{ width: '100%', height, border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)', background: '#fff' }} />
    </Stack>
  );
}
