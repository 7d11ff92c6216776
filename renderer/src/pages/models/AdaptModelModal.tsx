// "Adapt to my genome…": continued masked-LM pre-training of one project model on the project's
// genomes (adapt.start). Genomes and steps up front with defaults; batch, length, learning rate and
// masking behind "More settings"; an optional timed estimate (adapt.estimate) before starting.
import { Alert, Anchor, Button, Checkbox, Collapse, Group, Loader, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { ApiError, MethodInput } from '../../../../shared/contract';
import { ADAPT_DEFAULTS, AdaptMasking, type AdaptEstimate, type AdaptRun } from '../../../../shared/contract/adapt';
import type { ProjectModel } from '../../../../shared/contract/models';
import { toApiError } from '../../../../shared/client';
import { useClient, useQuery } from '../../api/context';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { coveredByFields, fieldErrors } from '../../lib/errors';
import { formatBytes } from '../../../../shared/bytes';
import { notifySuccess } from '../../lib/notify';
import { formatDuration } from './AdaptationRuns';
import { formatBp } from '../../../../shared/bp';

const FIELDS = ['genomeIds', 'steps', 'batch', 'seqLen', 'lr', 'masking', 'name'] as const;

const MASKING_LABELS: Record<AdaptMasking, string> = {
  random: 'Random tokens (DNABERT-2)',
  span: 'k-mer spans (DNABERT)',
  randommask: 'RandomMask (growing spans)',
  genemask: 'GeneMask (PMI)',
  global: 'GLOBAL (top PMI spans)',
  'cm-gems': 'CM-GEMS (GeneMask, then GLOBAL)',
};

const num = (v: number | string, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function AdaptModelModal({ project, model, onClose, onStarted }: { project: string; model: ProjectModel; onClose: () => void; onStarted: (run: AdaptRun) => void }) {
  const client = useClient();
  const genomes = useQuery('genomes.list', { project });
  const kmer = model.shape.tokenizer.kind === 'kmer';
  const ownMasking: AdaptMasking = kmer ? 'randommask' : 'random';
  // null: every genome of the project (the default), until the user unticks one.
  const [picked, setPicked] = useState<number[] | null>(null);
  const [steps, setSteps] = useState<number | string>(ADAPT_DEFAULTS.steps);
  const [batch, setBatch] = useState<number | string>(ADAPT_DEFAULTS.batch);
  const [seqLen, setSeqLen] = useState<number | string>(Math.min(ADAPT_DEFAULTS.seqLen, model.shape.maxLength));
  const [lr, setLr] = useState<number | string>(ADAPT_DEFAULTS.lr);
  const [masking, setMasking] = useState<AdaptMasking>(ownMasking);
  const [name, setName] = useState('');
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [estimate, setEstimate] = useState<{ value?: AdaptEstimate; error?: ApiError; loading: boolean } | null>(null);

  const usable = (genomes.data ?? []).filter((g) => g.status === 'ok');
  const chosen = picked ?? usable.map((g) => g.id);

  function settings(): MethodInput<'adapt.estimate'> {
    return {
      project,
      modelId: model.id,
      ...(picked !== null && { genomeIds: picked }),
      steps: num(steps, ADAPT_DEFAULTS.steps),
      batch: num(batch, ADAPT_DEFAULTS.batch),
      seqLen: num(seqLen, ADAPT_DEFAULTS.seqLen),
      lr: num(lr, ADAPT_DEFAULTS.lr),
      masking,
    };
  }

  async function runEstimate() {
    setEstimate({ loading: true });
    try {
      setEstimate({ value: await client.call('adapt.estimate', settings()), loading: false });
    } catch (err) {
      setEstimate({ error: toApiError(err), loading: false });
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const run = await client.call('adapt.start', { ...settings(), ...(name.trim() && { name: name.trim() }) });
      notifySuccess('Adaptation started', `${run.name}: ${run.steps} steps on ${run.genomeNames.join(', ')}`);
      onStarted(run);
      onClose();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(error, FIELDS);
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setEstimate(null);
  };

  return (
    <Modal opened onClose={onClose} title={`Adapt ${model.name} to my genome`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            Continues the model&apos;s pre-training on your genome so it learns its sequence statistics, as DNABERT-2 did with further in-domain pre-training; no labels needed. The adapted
            model is added to the project when it is done, and you can fine-tune it like any other.
          </Text>

          <Checkbox.Group
            label="Genomes to read"
            description="Each is read in proportion to its length; the end of every long sequence is held out to measure perplexity."
            value={chosen.map(String)}
            onChange={(values) => {
              setPicked(values.map(Number));
              setEstimate(null);
            }}
            error={errors.genomeIds}
          >
            <Stack gap={6} mt={6}>
              {genomes.loading && !genomes.data && <Loader size="xs" aria-label="Loading the project's genomes" />}
              {genomes.error && <ErrorAlert error={genomes.error} />}
              {genomes.data?.length === 0 && (
                <Text size="sm" c="orange">
                  This project has no genomes yet. <Anchor href="#/data">Import your genome on the Data page</Anchor> first.
                </Text>
              )}
              {genomes.data?.map((g) => (
                <Checkbox
                  key={g.id}
                  value={String(g.id)}
                  disabled={g.status !== 'ok'}
                  label={`${g.name} (${formatBp(g.totalLength)} in ${g.sequences.length} sequence${g.sequences.length === 1 ? '' : 's'}, ${formatBytes(g.size)})`}
                  description={g.status !== 'ok' ? g.statusDetail : undefined}
                />
              ))}
            </Stack>
          </Checkbox.Group>

          <NumberInput
            label="Steps"
            description={`Optimizer steps of ${num(batch, ADAPT_DEFAULTS.batch)} sequences of ${num(seqLen, ADAPT_DEFAULTS.seqLen)} tokens`}
            value={steps}
            onChange={changed(setSteps)}
            min={1}
            max={1_000_000}
            allowDecimal={false}
            thousandSeparator=","
            w={260}
            error={errors.steps}
            data-autofocus
          />

          <Anchor component="button" type="button" size="sm" onClick={() => setMore((m) => !m)} w="fit-content">
            {more ? 'Fewer settings' : 'More settings'}
          </Anchor>
          <Collapse expanded={more}>
            <Stack>
              <SimpleGrid cols={3}>
                <NumberInput label="Batch size" value={batch} onChange={changed(setBatch)} min={1} max={1024} allowDecimal={false} error={errors.batch} />
                <NumberInput label="Tokens per sequence" value={seqLen} onChange={changed(setSeqLen)} min={8} max={model.shape.architecture === 'bert' ? model.shape.maxLength : 4096} allowDecimal={false} error={errors.seqLen} />
                <NumberInput label="Peak learning rate" description="Lower than from scratch" value={lr} onChange={changed(setLr)} min={0} step={1e-5} decimalScale={6} error={errors.lr} />
              </SimpleGrid>
              <Select
                label="Masking"
                description={kmer ? 'The model reads overlapping k-mers: RandomMask is its own strategy' : 'BPE models mask tokens independently, as DNABERT-2 did'}
                data={(kmer ? AdaptMasking.options : (['random'] as const)).map((m) => ({ value: m, label: MASKING_LABELS[m] }))}
                value={masking}
                onChange={(v) => v && changed(setMasking)(v as AdaptMasking)}
                allowDeselect={false}
                error={errors.masking}
              />
              <TextInput label="Name of the adapted model" placeholder={`${model.name} adapted to ${usable.filter((g) => chosen.includes(g.id)).map((g) => g.name).join(' + ') || 'my genome'}`} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
            </Stack>
          </Collapse>

          <Group gap="xs" align="center">
            <Button variant="default" size="xs" leftSection={<IconClock size={14} />} onClick={() => void runEstimate()} loading={estimate?.loading} disabled={chosen.length === 0}>
              Estimate time
            </Button>
            {estimate?.value && (
              <Text size="sm" aria-label="Estimate">
                About {formatDuration(estimate.value.seconds)} ({Math.round(estimate.value.tokensPerSecond).toLocaleString()} tokens/s on {estimate.value.backend})
              </Text>
            )}
          </Group>
          {estimate?.value && (
            <Text size="xs" c="dimmed">
              {estimate.value.basis}
            </Text>
          )}
          {estimate?.value?.warnings.map((w) => (
            <Alert key={w} color="yellow" variant="light" p="xs">
              <Text size="xs">{w}</Text>
            </Alert>
          ))}
          {estimate?.error && <ErrorAlert error={estimate.error} />}

          {error && !coveredByFields(error, FIELDS) && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={chosen.length === 0}>
              Start adaptation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
