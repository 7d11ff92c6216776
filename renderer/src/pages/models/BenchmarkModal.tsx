// "Benchmark…": the GUE protocol (benchmarks.start, the same runner as `loci gue`) on a folder of
// GUE-format tasks the user points to, for models of the project, each next to the same architecture
// trained from scratch. Steps default to each model's own budget (its fine-tuning defaults).
import { Button, Checkbox, Group, Modal, NumberInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../../shared/contract';
import type { BenchmarkRun } from '../../../../shared/contract/benchmarks';
import type { ProjectModel } from '../../../../shared/contract/models';
import { toApiError } from '../../../../shared/client';
import { useClient } from '../../api/context';
import { PathInput } from '../../components/PathInput';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { coveredByFields, fieldErrors } from '../../lib/errors';
import { notifySuccess } from '../../lib/notify';

const FIELDS = ['root', 'tasks', 'modelIds', 'maxSteps', 'seeds', 'scratch'] as const;

// What to train, as the contract's two flags (scratch, pretrained); `loci gue` has --no-scratch and --no-pretrained.
const VARIANTS = {
  both: { scratch: true, pretrained: true, label: 'Each model and the same architecture trained from scratch (shows what pre-training adds)' },
  models: { scratch: false, pretrained: true, label: 'Only the models' },
  twins: { scratch: true, pretrained: false, label: 'Only the from-scratch twins (a baseline, e.g. while a model still pre-trains)' },
} as const;
type Variant = keyof typeof VARIANTS;

export function BenchmarkModal({ project, models, onClose, onStarted }: { project: string; models: ProjectModel[]; onClose: () => void; onStarted: (run: BenchmarkRun) => void }) {
  const client = useClient();
  const usable = models.filter((m) => m.status === 'ok' && m.kind !== 'finetuned');
  const [root, setRoot] = useState('');
  const [tasks, setTasks] = useState('');
  const [picked, setPicked] = useState<string[]>(usable.slice(0, 1).map((m) => String(m.id)));
  const [steps, setSteps] = useState<number | string>('');
  const [seeds, setSeeds] = useState('42');
  const [variant, setVariant] = useState<Variant>('both');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const seedList = seeds.split(/[\s,]+/).filter(Boolean).map(Number);
      const run = await client.call('benchmarks.start', {
        project,
        root: root.trim(),
        tasks: tasks.split(/[\s,]+/).filter(Boolean),
        modelIds: picked.map(Number),
        ...(typeof steps === 'number' && { maxSteps: steps }),
        seeds: seedList,
        scratch: VARIANTS[variant].scratch,
        pretrained: VARIANTS[variant].pretrained,
      });
      notifySuccess('Benchmark started', `${run.models.join(', ')} on ${run.root}: follow it below or in Jobs`);
      onStarted(run);
      onClose();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(error, FIELDS);
  return (
    <Modal opened onClose={onClose} title="Benchmark models on GUE-format tasks" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            Each model is fine-tuned on every task&apos;s train.csv, the checkpoint with the lowest dev loss is kept, and its test MCC is reported (the DNABERT-2 paper&apos;s protocol), next to
            the same architecture trained from scratch and, when a SOURCES.md beside the folder has them, the published scores. It is the same run as <code>loci gue</code>.
          </Text>
          <PathInput
            label="Folder of tasks"
            description="A folder whose task folders each hold train.csv, dev.csv and test.csv (sequence,label), e.g. the GUE benchmark"
            placeholder="/data/gue"
            value={root}
            onChange={(e) => setRoot(e.currentTarget.value)}
            error={errors.root}
            required
            data-autofocus
          />
          <TextInput label="Only these tasks" description="Task names or folder prefixes, separated by commas (e.g. tf, prom/prom_core_all); empty: every task" value={tasks} onChange={(e) => setTasks(e.currentTarget.value)} error={errors.tasks} />
          <Checkbox.Group label="Models" value={picked} onChange={setPicked} error={errors.modelIds}>
            <Stack gap={6} mt={6}>
              {usable.length === 0 && (
                <Text size="sm" c="orange">
                  No usable pre-trained model in this project: add a bundled model or import one first.
                </Text>
              )}
              {usable.map((m) => (
                <Checkbox key={m.id} value={String(m.id)} label={`${m.name} (${m.kind})`} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group grow align="flex-start">
            <NumberInput label="Steps per task" description="Empty: each model's default budget" value={steps} onChange={setSteps} min={1} max={1_000_000} allowDecimal={false} thousandSeparator="," error={errors.maxSteps} />
            <TextInput label="Seeds" description="The papers use 3 (e.g. 1, 2, 3)" value={seeds} onChange={(e) => setSeeds(e.currentTarget.value)} error={errors.seeds} />
          </Group>
          <Radio.Group label="Train" value={variant} onChange={(v) => setVariant(v as Variant)} error={errors.scratch}>
            <Stack gap={6} mt={6}>
              {(Object.keys(VARIANTS) as Variant[]).map((k) => (
                <Radio key={k} value={k} label={VARIANTS[k].label} />
              ))}
            </Stack>
          </Radio.Group>
          {error && !coveredByFields(error, FIELDS) && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={picked.length === 0 || !root.trim()}>
              Start benchmark
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
