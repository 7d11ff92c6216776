// Problems found in a user's file: which file, which line, what is wrong. Identical problems (the
// same unknown chromosome on 9,490 lines) are folded into one row with a count when the reader
// grouped them.
import { Alert, Table, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { LineError, ProblemGroup } from '../../../../../shared/contract/data';
import { baseName } from '../format';

/** The message without its "file:line:column: " prefix, which the table's own columns show. */
function problemOf(e: LineError): string {
  if (!e.message.startsWith(e.file)) return e.message;
  return e.message.slice(e.file.length).replace(/^(:\d+){0,2}: /, '');
}

function GroupsTable({ groups, file }: { groups: ProblemGroup[]; file: string }) {
  return (
    <Table.ScrollContainer minWidth={560} mah={240}>
      <Table fz="xs" verticalSpacing={3} aria-label="Problems in the file" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Problem</Table.Th>
            <Table.Th ta="right">Lines</Table.Th>
            <Table.Th>For example, lines of {baseName(file)}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((g) => (
            <Table.Tr key={g.problem}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{g.problem}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {g.count.toLocaleString()}
              </Table.Td>
              <Table.Td ff="monospace">
                {g.lines.join(', ')}
                {g.count > g.lines.length ? ', …' : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function LineErrorsTable({ errors, total, tolerated, groups }: { errors: LineError[]; total: number; tolerated?: boolean; groups?: ProblemGroup[] | undefined }) {
  if (total === 0) return null;
  // Fold only when it helps (some problem repeats) and the groups account for every problem.
  const grouped = groups && groups.length < Math.min(total, errors.length) && groups.reduce((a, g) => a + g.count, 0) === total && errors[0] ? groups : undefined;
  const kinds = grouped ? ` (${grouped.length.toLocaleString()} kind${grouped.length === 1 ? '' : 's'} of problem)` : '';
  const title = `${total.toLocaleString()} line${total === 1 ? '' : 's'} with problems${grouped ? kinds : errors.length < total ? ` (first ${errors.length} shown)` : ''}`;
  return (
    <Alert color={tolerated ? 'yellow' : 'red'} variant="light" icon={<IconAlertCircle />} title={title} data-testid="line-errors">
      <Text size="xs" mb="xs">
        {tolerated ? 'These lines will be left out of the import.' : 'Fix these lines in the file and preview again, or choose to leave them out.'}
      </Text>
      {grouped ? (
        <GroupsTable groups={grouped} file={errors[0]!.file} />
      ) : (
      <Table.ScrollContainer minWidth={560} mah={240}>
        <Table fz="xs" verticalSpacing={3} aria-label="Problems in the file" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th ta="right">Line</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((e, i) => (
              <Table.Tr key={`${e.file}:${e.line ?? ''}:${i}`}>
                <Table.Td ff="monospace" title={e.file} style={{ whiteSpace: 'nowrap' }}>
                  {baseName(e.file)}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {e.line ?? '–'}
                  {e.column !== undefined ? `:${e.column}` : ''}
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{problemOf(e)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      )}
    </Alert>
  );
}
