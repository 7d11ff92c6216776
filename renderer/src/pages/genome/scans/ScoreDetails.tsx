// A click on a scan's score or called-region track: the scores at that base per class of interest
// and per strand (scans.scoreAt), with the scan's model and run.
import { Table, Text } from '@mantine/core';
import { useQuery } from '../../../api/context';
import type { ScanInfo } from '../../../../../shared/contract/scans';
import type { ClickedFeature } from '../FeatureDetails';

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3));

export function ScoreDetails({ project, clicked, scans }: { project: string; clicked: ClickedFeature; scans: ScanInfo[] }) {
  const m = /^(?:scan|regions):(\d+):\d+$/.exec(clicked.key ?? '');
  const scanId = m ? Number(m[1]) : null;
  const scan = scans.find((s) => s.id === scanId);
  const at = scan && clicked.chr !== undefined && clicked.position !== undefined ? { project, scanId: scan.id, chrom: clicked.chr, position: clicked.position } : null;
  const scores = useQuery('scans.scoreAt', at);
  if (!scan || !at) return null;
  return (
    <>
      <Text size="xs" c="dimmed" mb={4}>
        {scan.modelName}
        {scan.runId ? ` · run ${scan.runId}` : ''} · {scan.settings.strand === 'both' ? `strands combined by ${scan.settings.combine}` : `${scan.settings.strand} strand`}
      </Text>
      {scores.error && (
        <Text size="xs" c="red">
          {scores.error.message}
        </Text>
      )}
      {scores.data && (
        <Table withRowBorders={false} verticalSpacing={2} fz="sm" aria-label="Scores at this base" mb={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Class</Table.Th>
              <Table.Th>Forward</Table.Th>
              <Table.Th>Reverse</Table.Th>
              <Table.Th>Combined</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scores.data.perClass.map((c) => (
              <Table.Tr key={c.classIndex}>
                <Table.Td>{c.className}</Table.Td>
                <Table.Td ff="monospace">{fmt(c.forward)}</Table.Td>
                <Table.Td ff="monospace">{fmt(c.reverse)}</Table.Td>
                <Table.Td ff="monospace" fw={600}>
                  {fmt(c.combined)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
