// One bundled model as a card: what it is, how big, which tokenizer, what it is for, and the two
// actions (add it to the open project, read its model card). Its GUE mean, beside the same
// architecture trained from scratch and the published means, comes from the results file shipped in
// its folder (models.catalog reads it); nothing here is a hard-coded score.
import { Badge, Button, Card, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconFileDescription, IconPlus } from '@tabler/icons-react';
import type { BundledModel } from '../../../../shared/contract/models';
import type { GueSummary } from '../../../../shared/contract/benchmarks';
import { formatBytes } from '../../../../shared/bytes';
import { gueLineText } from '../../../../shared/gue-summary';
import { formatParams } from './format';

interface Props {
  model: BundledModel;
  /** null: no project open. */
  inProject: boolean | null;
  adding: boolean;
  onAdd: () => void;
  onViewCard: () => void;
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {value}
      </Text>
    </div>
  );
}

/** "GUE mean 48.1 over 13 tasks · from scratch 46.0 (wins 9 of 13) · DNABERT-2 68.4 · CNN 52.2". */
export function GueLine({ gue }: { gue: GueSummary | null }) {
  if (!gue) {
    return (
      <Text size="xs" c="dimmed" data-testid="gue-line">
        Not benchmarked on GUE in this installation.
      </Text>
    );
  }
  const text = gueLineText(gue);
  // The seed paper's model and the CNN baseline up front; the other published columns in one line.
  const up = (name: string) => /^DNABERT-2\b|CNN/i.test(name);
  const main = text.published.filter((p) => up(p.name));
  const others = text.published.filter((p) => !up(p.name));
  return (
    <div data-testid="gue-line">
      <Text size="xs" c="dimmed">
        GUE test MCC × 100 ({text.scope})
      </Text>
      <Group gap="lg" mt={2}>
        <Fact label="This model" value={text.model} />
        {text.scratch !== null && <Fact label="Same model from scratch" value={text.scratch} />}
        {main.map((p) => (
          <Fact key={p.name} label={p.label} value={p.value} />
        ))}
      </Group>
      {others.length > 0 && (
        <Text size="xs" c="dimmed" mt={2}>
          Also published: {others.map((p) => `${p.name} ${p.value}`).join(' · ')}
        </Text>
      )}
    </div>
  );
}

export function CatalogCard({ model: m, inProject, adding, onAdd, onViewCard }: Props) {
  const addButton = (
    <Button size="xs" leftSection={inProject ? <IconCheck size={14} /> : <IconPlus size={14} />} onClick={onAdd} loading={adding} disabled={inProject !== false} aria-label={`Add ${m.name} to project`}>
      {inProject ? 'In project' : 'Add to project'}
    </Button>
  );
  return (
    <Card withBorder padding="lg" radius="md" component="article" aria-label={m.name} h="100%">
      <Stack gap="sm" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={3} size="h4" ff="monospace">
            {m.name}
          </Title>
          <Badge variant="light" color={m.architecture === 'dnabert2' ? 'indigo' : 'grape'}>
            {m.architectureLabel}
          </Badge>
        </Group>
        {m.summary && (
          <Text size="sm" lineClamp={3}>
            {m.summary}
          </Text>
        )}
        <Group gap="xl">
          <Fact label="Parameters" value={formatParams(m.parameters)} />
          <Fact label="Layers · hidden · heads" value={`${m.layers} · ${m.hidden} · ${m.heads}`} />
          <Fact label="Max length" value={`${m.maxLength} tokens`} />
          <Fact label="Size" value={formatBytes(m.sizeBytes)} />
        </Group>
        <Fact label="Tokenizer" value={m.tokenizer.label} />
        <GueLine gue={m.gue} />
        {m.intendedUse && (
          <div>
            <Text size="xs" c="dimmed">
              Intended use
            </Text>
            <Text size="sm" lineClamp={3}>
              {m.intendedUse}
            </Text>
          </div>
        )}
        <Group justify="flex-end" mt="auto" gap="xs">
          <Button size="xs" variant="default" leftSection={<IconFileDescription size={14} />} onClick={onViewCard} aria-label={`View model card of ${m.name}`}>
            View model card
          </Button>
          {inProject === null ? <Tooltip label="Open a project first">{<span>{addButton}</span>}</Tooltip> : addButton}
        </Group>
      </Stack>
    </Card>
  );
}
