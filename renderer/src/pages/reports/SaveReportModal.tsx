// "Save as": a stored report written out as one HTML file or a PDF (Electron prints it in the app;
// browser mode uses the installed Chromium, and without one the HTML is written and the error says
// what to install).
import { Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ReportInfo } from '../../../../shared/contract/reports';
import { useClient } from '../../api/context';
import { ModalActions } from '../../components/ModalActions';
import { PathInput } from '../../components/PathInput';
import { WrittenFiles } from '../../components/WrittenFiles';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { fieldErrors } from '../../lib/errors';
import { formatBytes } from '../../../../shared/bytes';
import { notifySuccess } from '../../lib/notify';
import { submitWith, useSubmit } from '../../lib/useSubmit';

type Format = 'html' | 'pdf';

/** The path with its extension switched to the format's (a path the user typed stays theirs otherwise). */
function withExtension(path: string, format: Format): string {
  const trimmed = path.trim();
  if (!trimmed) return trimmed;
  return /\.(html?|pdf)$/i.test(trimmed) ? trimmed.replace(/\.(html?|pdf)$/i, `.${format}`) : trimmed;
}

export function SaveReportModal({ project, report, initialFormat, onClose }: { project: string; report: ReportInfo; initialFormat: Format; onClose: () => void }) {
  const client = useClient();
  const [format, setFormat] = useState<Format>(initialFormat);
  const [path, setPath] = useState('');
  const [written, setWritten] = useState<string | null>(null);
  const { busy, error, run } = useSubmit(async () => {
    const out = await client.call('reports.save', { project, id: report.id, format, path: path.trim() });
    setWritten(out.path);
    notifySuccess('Report saved', `${out.path} (${format.toUpperCase()}, ${formatBytes(out.bytes)}${out.printer ? `, printed by ${out.printer}` : ''})`);
  });
  const errors = fieldErrors(error, ['path']);

  return (
    <Modal opened onClose={onClose} title={`Save ${report.title}`} size="lg">
      <form onSubmit={submitWith(run)} noValidate>
        <Stack>
          <SegmentedControl
            value={format}
            onChange={(v) => {
              setFormat(v as Format);
              setPath((p) => withExtension(p, v as Format));
            }}
            data={[
              { value: 'html', label: 'HTML (one self-contained file)' },
              { value: 'pdf', label: 'PDF' },
            ]}
            aria-label="Format"
          />
          <Text size="sm" c="dimmed">
            {format === 'html'
              ? 'Opens in any browser, offline: styles and charts are inside the file, with no scripts.'
              : 'Printed from the same HTML, A4 with page numbers.'}
          </Text>
          <PathInput label="File" placeholder={`/home/me/reports/report-${report.id}.${format}`} value={path} onChange={(e) => setPath(e.currentTarget.value)} error={errors.path} data-autofocus />
          {error && !errors.path && <ErrorAlert error={error} />}
          {written && <WrittenFiles files={[written]} />}
          <ModalActions onCancel={onClose} cancelLabel={written ? 'Close' : 'Cancel'} confirmLabel={`Save as ${format.toUpperCase()}`} busy={busy} disabled={!path.trim()} />
        </Stack>
      </form>
    </Modal>
  );
}
