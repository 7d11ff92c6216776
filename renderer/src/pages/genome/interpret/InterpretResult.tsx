// An opened interpretation under the genome view: an ISM run's heatmap, kept in step with the igv
// locus both ways (the view's part of the region is shown; zooming or scrolling the heatmap moves
// the view, after a short pause so a drag does not flood igv), or a variant run's table, whose rows
// move the view to their variant. Export buttons for both (the API writes the file).
import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconDownload, IconFocusCentered, IconX } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { InterpretInfo } from '../../../../../shared/contract/interpret';
import { useQuery } from '../../../api/context';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { clampView, viewFromLocus, type Span } from './heatmap';
import { IsmHeatmap } from './IsmHeatmap';
import { ExportModal, whatText } from './InterpretList';
import { VariantsTable } from './VariantsTable';
import { formatBp } from '../../../../../shared/bp';

interface Props {
  project: string;
  run: InterpretInfo;
  /** igv's locus, 0-based half-open. */
  range: { chr: string; start: number; end: number } | undefined;
  /** Move igv to a 1-based locus string. */
  go: (locus: string) => void;
  onClose: () => void;
}

export function InterpretResult({ project, run, range, go, onClose }: Props) {
  const [exporting, setExporting] = useState<'csv' | 'bedgraph' | 'tsv' | 'vcf' | null>(null);
  const formats = run.kind === 'ism' ? (['csv', 'bedgraph'] as const) : (['tsv', 'vcf'] as const);
  return (
    <Stack gap={6} aria-label={`Result of ${run.name}`} component="section">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>
            {run.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {run.modelName} · class {run.className} · window {formatBp(run.window)} · {whatText(run)}
          </Text>
        </Stack>
        <Group gap={4} wrap="nowrap">
          {run.region && (
            <Button size="compact-xs" variant="default" leftSection={<IconFocusCentered size={14} />} onClick={() => go(`${run.region!.chrom}:${run.region!.start + 1}-${run.region!.end}`)}>
              Go to region
            </Button>
          )}
          {formats.map((f) => (
            <Button key={f} size="compact-xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => setExporting(f)}>
              {f === 'bedgraph' ? 'bedGraph' : f.toUpperCase()}
            </Button>
          ))}
          <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={onClose} aria-label="Close the result">
            Close
          </Button>
        </Group>
      </Group>
      {run.kind === 'ism' ? (
        <IsmResult project={project} run={run} range={range} go={go} />
      ) : (
        <VariantsTable
          project={project}
          run={run}
          onJump={(v) => {
            const pad = Math.max(30, Math.round(run.window / 2));
            go(`${v.chrom}:${Math.max(1, v.pos - pad)}-${v.pos + Math.max(1, v.ref.length) - 1 + pad}`);
          }}
        />
      )}
      {exporting && <ExportModal project={project} run={run} format={exporting} onClose={() => setExporting(null)} />}
    </Stack>
  );
}

function IsmResult({ project, run, range, go }: Omit<Props, 'onClose'>) {
  const table = useQuery('interpret.ismTable', { project, id: run.id });
  const region = run.region!;
  const [view, setView] = useState<Span>(() => (range && viewFromLocus(range, region)) ?? clampView(region, region));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Where the heatmap last sent igv: igv's answer to it must not pull the heatmap back mid-drag.
  const sent = useRef<Span | null>(null);

  useEffect(() => {
    if (!range) return;
    const v = viewFromLocus(range, region);
    if (!v) return;
    const s = sent.current;
    if (s && Math.abs(s.start - v.start) <= 1 && Math.abs(s.end - v.end) <= 1) return;
    setView(v);
    // region is fixed per run; range is igv's locus
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range?.chr, range?.start, range?.end]);
  useEffect(() => () => clearTimeout(timer.current), []);

  if (table.error) return <ErrorAlert error={table.error} />;
  if (!table.data) return <Loader size="sm" aria-label="Loading the ISM table" />;
  return (
    <IsmHeatmap
      table={table.data}
      view={view}
      onView={(v) => {
        setView(v);
        sent.current = v;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => go(`${region.chrom}:${v.start + 1}-${v.end}`), 150);
      }}
    />
  );
}
