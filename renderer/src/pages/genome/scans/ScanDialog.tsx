// "Scan genome": run a fine-tuning run's model (or any classifier of the project) over a genome, a
// chromosome, a region or BED regions, with its window, stride and strands; then follow the scan's
// job (bp done of total, speed, time left) with pause and cancel. The scan runs in the background:
// closing the dialog leaves it running, and the scans list shows it.
import { Alert, Button, Group, Modal, NumberInput, Progress, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { JobProgress } from '../../../../../shared/contract/events';
import type { ScanStartInput } from '../../../../../shared/contract/scans';
import type { z } from 'zod';
import { toApiError } from '../../../../../shared/client';
import { useClient, useEvent, useQuery } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { PathInput } from '../../../components/PathInput';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { fieldErrors } from '../../../lib/errors';
import { genomeHref } from '../route';
import { ClassifierSelect, JobActionButtons, useClassifierSources, useJobActions } from './job-parts';
import { progressText } from './format';

type TargetKind = 'genome' | 'chrom' | 'region' | 'bed';

export interface ScanDialogProps {
  project: string;
  /** Preselected: the run whose dashboard opened the dialog, or the genome in view. */
  runId?: number;
  genomeId?: number;
  /** The locus in view, offered as the region to scan. */
  region?: { chrom: string; start: number; end: number };
  onClose: () => void;
  /** Called once the scan has started (the list reloads). */
  onStarted?: (scanId: number) => void;
}

export function ScanDialog({ project, runId, genomeId, region, onClose, onStarted }: ScanDialogProps) {
  const client = useClient();
  const genomes = useQuery('genomes.list', { project });

  const [source, setSource] = useState<string | null>(runId !== undefined ? `run:${runId}` : null);
  const sources = useClassifierSources(project, source);
  const { sourceChoice } = sources;
  const [genome, setGenome] = useState<string | null>(genomeId ? String(genomeId) : null);
  const [target, setTarget] = useState<TargetKind>('genome');
  const [chrom, setChrom] = useState<string | null>(region?.chrom ?? null);
  const [start, setStart] = useState<number | string>(region ? region.start + 1 : '');
  const [end, setEnd] = useState<number | string>(region?.end ?? '');
  const [bed, setBed] = useState('');
  const [window, setWindow] = useState<number | string>('');
  const [stride, setStride] = useState<number | string>('');
  const [strand, setStrand] = useState<'both' | 'forward' | 'reverse'>('both');
  const [combine, setCombine] = useState<'mean' | 'max'>('mean');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [started, setStarted] = useState<{ scanId: number; jobId: string } | null>(null);
  const [event, setEvent] = useState<JobProgress | null>(null);
  const actions = useJobActions(project, started?.jobId ?? null, setError);

  useEvent('job.progress', (e) => {
    if (started && e.jobId === started.jobId) setEvent(e);
  });

  const genomeChoice = genome ?? (genomes.data?.length === 1 ? String(genomes.data[0]!.id) : null);
  // The FASTA header's description beside each name, so 'chr' vs 'pF' says which is the plasmid.
  const chromosomes = genomes.data?.find((g) => String(g.id) === genomeChoice)?.sequences.map((s) => ({ value: s.name, label: s.description ? `${s.name} — ${s.description}` : s.name })) ?? [];

  async function start_() {
    if (!sourceChoice) return;
    setBusy(true);
    setError(null);
    const t: z.input<typeof ScanStartInput>['target'] =
      target === 'genome'
        ? { kind: 'genome' }
        : target === 'chrom'
          ? { kind: 'chrom', chrom: chrom ?? '' }
          : target === 'region'
            ? { kind: 'region', chrom: chrom ?? '', start: Math.max(0, Number(start) - 1), end: Number(end) }
            : { kind: 'bed', path: bed.trim() };
    const [kind, id] = sourceChoice.split(':') as ['run' | 'model', string];
    try {
      const r = await client.call('scans.start', {
        project,
        ...(kind === 'run' ? { runId: Number(id) } : { modelId: Number(id) }),
        ...(genomeChoice && { genomeId: Number(genomeChoice) }),
        target: t,
        ...(window !== '' && { window: Number(window) }),
        ...(stride !== '' && { stride: Number(stride) }),
        strand,
        combine,
      });
      setStarted(r);
      onStarted?.(r.scanId);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const fields = fieldErrors(error, ['window', 'stride', 'target', 'modelId', 'genomeId'] as const);

  if (started) {
    const bpDone = event?.metrics?.bpDone ?? 0;
    const bpTotal = event?.metrics?.bpTotal ?? 0;
    const speed = event?.metrics?.bpPerSecond;
    const fraction = event?.fraction ?? (bpTotal > 0 ? bpDone / bpTotal : null);
    const state = event?.state ?? 'queued';
    const active = state === 'running' || state === 'queued';
    const progress = bpTotal > 0 ? progressText(bpDone, bpTotal, speed) : null;
    return (
      <Modal opened onClose={onClose} title="Scanning" size="lg">
        <Stack>
          <Stack gap={6} role="status" aria-label="Scan progress">
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {state === 'done' ? 'Scan finished' : state === 'paused' ? 'Paused' : state === 'failed' ? 'The scan failed' : state === 'cancelled' ? 'Cancelled' : 'Scanning…'}
              </Text>
              <Text size="xs" c="dimmed" title={progress?.title} data-testid="scan-bp">
                {progress?.text ?? ''}
                {event?.etaSeconds && active ? ` · about ${Math.max(1, Math.round(event.etaSeconds / 60))} min left` : ''}
              </Text>
            </Group>
            <Progress value={fraction === null ? 100 : fraction * 100} striped={fraction === null} animated={active} color={state === 'failed' ? 'red' : undefined} />
            <Text size="xs" c="dimmed">
              {event?.error ?? event?.message ?? 'Waiting for the scan to start…'}
            </Text>
          </Stack>
          {error && <ErrorAlert error={error} />}
          <Group justify="space-between">
            <Group gap="xs">
              <JobActionButtons state={state} actions={actions} cancelLabel="Cancel scan" />
            </Group>
            <Group gap="xs">
              {state === 'done' && (
                <Button component="a" href={genomeHref({ scanId: started.scanId, ...(genomeChoice && { genomeId: Number(genomeChoice) }) })} onClick={onClose}>
                  Show in genome view
                </Button>
              )}
              <Button variant="default" onClick={onClose}>
                {active ? 'Run in the background' : 'Close'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </Modal>
    );
  }

  const { noModel } = sources;
  return (
    <Modal opened onClose={onClose} title="Scan genome" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          Run a classifier over the genome in windows, on both strands, and get a per-base score track and the regions above a threshold (chosen from the run&apos;s dev set).
        </Text>
        {noModel && (
          <Alert color="yellow" title="No classifier yet">
            Fine-tune a model on the Train page first; its run, or any classifier in the project, can then scan the genome.
          </Alert>
        )}
        <ClassifierSelect sources={sources} onChange={setSource} error={fields.modelId} />
        <Select label="Genome" data={(genomes.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))} value={genomeChoice} onChange={setGenome} error={fields.genomeId} allowDeselect={false} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            What to scan
          </Text>
          <SegmentedControl
            value={target}
            onChange={(v) => setTarget(v as TargetKind)}
            data={[
              { value: 'genome', label: 'Whole genome' },
              { value: 'chrom', label: 'A chromosome' },
              { value: 'region', label: 'A region' },
              { value: 'bed', label: 'BED regions' },
            ]}
          />
          {(target === 'chrom' || target === 'region') && <Select label="Chromosome" searchable data={chromosomes} value={chrom} onChange={setChrom} error={fields.target} />}
          {target === 'region' && (
            <Group grow>
              <NumberInput label="From (1-based)" min={1} value={start} onChange={setStart} thousandSeparator="," />
              <NumberInput label="To" min={1} value={end} onChange={setEnd} thousandSeparator="," />
            </Group>
          )}
          {target === 'bed' && <PathInput label="BED file" placeholder="/data/promoters.bed" value={bed} onChange={(e) => setBed(e.currentTarget.value)} error={fields.target} />}
        </Stack>
        <Group grow>
          <NumberInput label="Window (bp)" description="Default: the training windows' length" min={8} value={window} onChange={setWindow} error={fields.window} />
          <NumberInput label="Stride (bp)" description="Default: half the window" min={1} value={stride} onChange={setStride} error={fields.stride} />
        </Group>
        <Group grow align="flex-start">
          <Select
            label="Strands"
            data={[
              { value: 'both', label: 'Both (forward and reverse complement)' },
              { value: 'forward', label: 'Forward only' },
              { value: 'reverse', label: 'Reverse complement only' },
            ]}
            value={strand}
            onChange={(v) => v && setStrand(v as typeof strand)}
            allowDeselect={false}
          />
          <Select
            label="Combine strands by"
            disabled={strand !== 'both'}
            data={[
              { value: 'mean', label: 'Mean' },
              { value: 'max', label: 'Max' },
            ]}
            value={combine}
            onChange={(v) => v && setCombine(v as typeof combine)}
            allowDeselect={false}
          />
        </Group>
        {error && <ErrorAlert error={error} />}
        <ModalActions onCancel={onClose} confirmLabel="Start scan" busy={busy} disabled={!sourceChoice || !genomeChoice} onConfirm={() => void start_()} />
      </Stack>
    </Modal>
  );
}
