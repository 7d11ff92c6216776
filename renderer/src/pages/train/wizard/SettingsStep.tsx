// Step 3: how to fine-tune. The mode (full, LoRA, linear probe) with what each costs and gives, the
// length of the run, and the advanced settings (collapsed), starting from the chosen model's defaults. Errors
// from the Node side land under the inputs they concern.
import { Button, Collapse, Group, Input, NumberInput, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconAdjustments, IconChevronDown, IconChevronUp } from '@tabler/icons-react';
import type { FinetuneMode } from '../../../../../shared/contract/training';
import { SKEW_FOR_BALANCED } from '../../../../../shared/class-weights';
import type { FormField, SettingsForm } from './settings-form';

const modes: Array<{ value: FinetuneMode; title: string; explain: string }> = [
  { value: 'full', title: 'Full fine-tuning', explain: 'Every weight of the model learns your task. Best results; the slowest, and it needs the most memory.' },
  { value: 'lora', title: 'LoRA', explain: 'Small low-rank adapters learn while the model stays frozen. Near full quality on big models for a fraction of the memory.' },
  { value: 'probe', title: 'Linear probe', explain: 'The model stays frozen; only a small classifier learns. Fast on a CPU; a good first check.' },
];

interface Props {
  form: SettingsForm;
  onChange: (patch: Partial<SettingsForm>) => void;
  errors: Partial<Record<FormField, string>>;
  advancedOpen: boolean;
  onAdvanced: (open: boolean) => void;
  trainSize: number | null;
  /** Where the model's defaults come from (its card, its family, its size), shown above the settings. */
  defaultsSource?: string | null;
  /** How many times the commonest training class outnumbers the rarest (shared/class-weights.ts classSkew). */
  skew?: number;
}

export function SettingsStep({ form, onChange, errors, advancedOpen, onAdvanced, trainSize, defaultsSource, skew = 1 }: Props) {
  const num = (field: keyof SettingsForm) => (v: number | string) => onChange({ [field]: v } as Partial<SettingsForm>);
  const stepsPerEpoch = trainSize && typeof form.batchSize === 'number' && typeof form.accumulate === 'number' && form.batchSize > 0 ? Math.max(1, Math.floor(trainSize / (form.batchSize * form.accumulate))) : null;
  // A short run with the model's warm-up (the bundled models' cards say 30 steps) spends most of itself warming up.
  const totalSteps = form.lengthBy === 'steps' ? (typeof form.maxSteps === 'number' ? form.maxSteps : null) : stepsPerEpoch !== null && typeof form.epochs === 'number' ? Math.ceil(form.epochs * stepsPerEpoch) : null;
  const longWarmup = form.mode !== 'probe' && typeof form.warmupSteps === 'number' && totalSteps !== null && totalSteps > 0 && form.warmupSteps >= totalSteps / 2;
  return (
    <Stack gap="lg">
      {defaultsSource && (
        <Text size="sm" c="dimmed" data-testid="defaults-source">
          Learning rate, length, batch, warm-up and evaluation interval start from the model’s defaults: {defaultsSource}.
        </Text>
      )}
      <Radio.Group value={form.mode} onChange={(v) => onChange({ mode: v as FinetuneMode })} label="Mode">
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm" mt="xs">
          {modes.map((m) => (
            <Radio.Card key={m.value} value={m.value} p="md" radius="md" aria-label={`${m.title}: ${m.explain}`}>
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator mt={2} />
                <div>
                  <Text fw={600} size="sm">
                    {m.title}
                  </Text>
                  <Text size="xs" c="dimmed" mt={2}>
                    {m.explain}
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          ))}
        </SimpleGrid>
      </Radio.Group>

      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
        <TextInput label="Run name" placeholder="Automatic: model on dataset" value={form.name} onChange={(e) => onChange({ name: e.currentTarget.value })} error={errors.name} />
        <div>
          <Input.Label id="length-by" display="block">
            Length of the run
          </Input.Label>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <SegmentedControl
              aria-labelledby="length-by"
              size="xs"
              mt={4}
              value={form.lengthBy}
              onChange={(v) => onChange({ lengthBy: v as SettingsForm['lengthBy'] })}
              data={[
                { value: 'epochs', label: 'Epochs' },
                { value: 'steps', label: 'Steps' },
              ]}
            />
            {form.lengthBy === 'epochs' ? (
              <NumberInput aria-label="Epochs" value={form.epochs} onChange={num('epochs')} min={0.1} step={1} decimalScale={2} error={errors.epochs} w={90} />
            ) : (
              <NumberInput aria-label="Max steps" value={form.maxSteps} onChange={num('maxSteps')} min={1} allowDecimal={false} error={errors.maxSteps} w={90} />
            )}
          </Group>
          {stepsPerEpoch !== null && (
            <Text size="xs" c="dimmed" mt={4}>
              {stepsPerEpoch.toLocaleString()} steps per epoch
            </Text>
          )}
          {longWarmup && (
            <Text size="xs" c="orange.8" mt={4} data-testid="warmup-hint">
              Warm-up takes {form.warmupSteps} of the run’s {totalSteps} steps, so the learning rate {Number(form.warmupSteps) >= Number(totalSteps) ? 'never reaches its peak' : 'is low for most of the run'}: lower “Warm-up steps” under Advanced settings.
            </Text>
          )}
        </div>
        <NumberInput label="Batch size" description="Sequences per step" value={form.batchSize} onChange={num('batchSize')} min={1} max={4096} allowDecimal={false} error={errors.batchSize} />
        <NumberInput
          label="Learning rate"
          description="Peak, after warm-up"
          value={form.lr}
          onChange={num('lr')}
          min={0}
          max={1}
          step={1e-5}
          decimalScale={8}
          error={errors.lr}
        />
      </SimpleGrid>

      <div>
        <Button variant="subtle" size="compact-sm" leftSection={<IconAdjustments size={16} />} rightSection={advancedOpen ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />} onClick={() => onAdvanced(!advancedOpen)} aria-expanded={advancedOpen}>
          Advanced settings
        </Button>
        <Collapse expanded={advancedOpen}>
          <Stack gap="md" pt="md">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
              <NumberInput label="Warm-up steps" description="Empty: min(50, 10% of the run)" placeholder="automatic" value={form.warmupSteps} onChange={num('warmupSteps')} min={0} allowDecimal={false} error={errors.warmupSteps} />
              <NumberInput label="Weight decay" description="Decoupled (AdamW)" value={form.weightDecay} onChange={num('weightDecay')} min={0} max={1} step={0.01} decimalScale={4} error={errors.weightDecay} />
              <NumberInput label="Evaluate every" description="Steps; empty: min(200, a tenth)" placeholder="automatic" value={form.evalEvery} onChange={num('evalEvery')} min={1} allowDecimal={false} error={errors.evalEvery} />
              <NumberInput label="Gradient accumulation" description="Steps per optimizer update" value={form.accumulate} onChange={num('accumulate')} min={1} allowDecimal={false} error={errors.accumulate} />
              <Select
                label="Class weights"
                description={`Balanced: rare classes count more${skew >= SKEW_FOR_BALANCED && Number.isFinite(skew) ? ` (this dataset’s training classes are ${Math.round(skew)} to 1)` : ''}`}
                value={form.classWeights}
                onChange={(v) => v && onChange({ classWeights: v as SettingsForm['classWeights'] })}
                data={[
                  { value: 'none', label: 'None' },
                  { value: 'balanced', label: 'Balanced' },
                ]}
                allowDeselect={false}
                error={errors.classWeights}
              />
              <NumberInput label="Early-stopping patience" description="Evaluations; empty: never stop early" placeholder="off" value={form.earlyStoppingPatience} onChange={num('earlyStoppingPatience')} min={1} allowDecimal={false} error={errors.earlyStoppingPatience} />
              <NumberInput label="Max tokens" description="Per sequence; empty: from the data" placeholder="automatic" value={form.maxLength} onChange={num('maxLength')} min={1} allowDecimal={false} error={errors.maxLength} />
              <NumberInput label="Seed" description="Same seed, same run" value={form.seed} onChange={num('seed')} min={0} allowDecimal={false} error={errors.seed} />
            </SimpleGrid>
            {form.mode === 'lora' && (
              <SimpleGrid cols={{ base: 1, sm: 3, md: 4 }} spacing="md">
                <NumberInput label="LoRA rank" value={form.loraRank} onChange={num('loraRank')} min={1} max={256} allowDecimal={false} error={errors.loraRank} />
                <NumberInput label="LoRA alpha" value={form.loraAlpha} onChange={num('loraAlpha')} min={0} step={1} error={errors.loraAlpha} />
                <NumberInput label="LoRA dropout" value={form.loraDropout} onChange={num('loraDropout')} min={0} max={0.9} step={0.05} decimalScale={3} error={errors.loraDropout} />
              </SimpleGrid>
            )}
            {form.mode === 'probe' && (
              <Select
                label="Probe input"
                description="The embedding the classifier sees"
                w={320}
                value={form.probePooling}
                onChange={(v) => v && onChange({ probePooling: v as SettingsForm['probePooling'] })}
                data={[
                  { value: 'pooler', label: "The model's pooler output" },
                  { value: 'cls', label: 'The [CLS] token' },
                  { value: 'mean', label: 'Mean over tokens' },
                ]}
                allowDeselect={false}
              />
            )}
            <Select
              label="Compute backend"
              description="Automatic picks the fastest that works here (the status bar says which)"
              w={320}
              value={form.backend}
              onChange={(v) => v && onChange({ backend: v as SettingsForm['backend'] })}
              data={[
                { value: 'auto', label: 'Automatic' },
                { value: 'tfjs-node-gpu', label: 'NVIDIA GPU (tfjs-node-gpu)' },
                { value: 'tfjs-node', label: 'CPU, native (tfjs-node)' },
                { value: 'wasm', label: 'CPU, WebAssembly' },
                { value: 'cpu', label: 'CPU, plain JavaScript (slowest)' },
              ]}
              allowDeselect={false}
              error={errors.backend}
            />
          </Stack>
        </Collapse>
      </div>
    </Stack>
  );
}
