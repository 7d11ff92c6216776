// "Where to annotate" (issue 12, point 5): the latest finished scan's regions where the model is
// least certain or its strands disagree most (suggestions.list), sorted; a click shows one in the view.
import { Group, Loader, SegmentedControl, Table, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { ScanInfo } from '../../../../../shared/contract/scans';
import { formatLocus } from '../../../../../shared/locus';
import { useQuery } from '../../../api/context';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { formatBp } from '../../../../../shared/bp';

export function SuggestionsPanel({ project, scans, onJump }: { project: string; scans: readonly ScanInfo[]; onJump: (r: { chrom: string; start: number; end: number }) => void }) {
  const latest = scans.filter((s) => s.state === 'done').sort((a, b) => (a.endedAt ?? a.createdAt) < (b.endedAt ?? b.createdAt) ? 1 : -1)[0];
  const [by, setBy] = useState<'uncertain' | 'strands'>('uncertain');
  const bothStrands = latest?.settings.strand === 'both';
  const q = useQuery('suggestions.list', latest ? { project, scanId: latest.id, by: bothStrands ? by : 'uncertain', top: 25 } : null);
  if (!latest) return <Text size="sm" c="dimmed">Scan the genome first: suggestions come from the latest finished scan.</Text>;
  return (
    <div>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text size="xs" c="dimmed">
          From scan “{latest.name}”{q.data ? `, class ${q.data.className}: ${formatBp(q.data.size)} regions` : ''}
        </Text>
        {bothStrands && (
          <SegmentedControl
            size="xs"
            value={by}
            onChange={(v) => setBy(v as 'uncertain' | 'strands')}
            data={[
              { value: 'uncertain', label: 'Least certain' },
              { value: 'strands', label: 'Strands disagree' },
            ]}
            aria-label="Rank by"
          />
        )}
      </Group>
      {q.error && <ErrorAlert error={q.error} />}
      {!q.data && !q.error && <Loader size="xs" aria-label="Ranking the scan's regions" />}
      {q.data && (
        <Table verticalSpacing={2} fz="xs" highlightOnHover aria-label="Suggested regions" data-testid="suggestions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Region</Table.Th>
              <Table.Th title="1 = the model cannot tell">Uncertainty</Table.Th>
              {bothStrands && <Table.Th title="Mean |forward − reverse| score">Strand gap</Table.Th>}
              <Table.Th>Score</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.regions.map((r, i) => (
              <Table.Tr key={`${r.chrom}:${r.start}`}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <UnstyledButton onClick={() => onJump(r)} aria-label={`Show ${formatLocus(r)}`} style={{ textDecoration: 'underline', fontSize: 'inherit' }}>
                    {formatLocus(r)}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>{r.uncertainty.toFixed(3)}</Table.Td>
                {bothStrands && <Table.Td>{r.strandGap === null ? '—' : r.strandGap.toFixed(3)}</Table.Td>}
                <Table.Td>{r.score.toFixed(3)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}
