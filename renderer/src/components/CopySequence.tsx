// A DNA sequence in a table cell: the first bases in monospace, the whole sequence in a tooltip and
// one click to copy it (sequences are often hundreds of bp; tables have room for a few dozen).
import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { formatBp } from '../../../shared/bp';

export function CopySequence({ sequence, shown = 32 }: { sequence: string; shown?: number }) {
  const cut = sequence.length > shown;
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={<Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>{sequence}</Text>} multiline maw={480} disabled={!cut}>
        <Text size="xs" ff="monospace" tabIndex={cut ? 0 : undefined} style={{ whiteSpace: 'nowrap' }}>
          {cut ? `${sequence.slice(0, shown)}…` : sequence}
          <Text span size="xs" c="dimmed" ml={6} ff="inherit">
            {formatBp(sequence.length)}
          </Text>
        </Text>
      </Tooltip>
      <CopyButton value={sequence} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy the sequence'}>
            <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy the sequence">
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
