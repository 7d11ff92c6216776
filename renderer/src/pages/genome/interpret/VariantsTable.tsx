// A finished variant-effect run's scored alleles: locus, REF>ALT, reference and alternative
// probability, the change and log2 fold change combined (mean of the strands) and per strand.
// Sorted by the API (position, change, |change|, log2 fold change; click a header, again to flip),
// 500 rows a page; a click on a row moves the genome view to the variant. Skipped alleles (symbolic,
// too long) are listed with their VCF line and why.
import { Alert, Group, Pagination, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { useState } from 'react';
import type { InterpretInfo, VariantEffectRow, VariantSort } from '../../../../../shared/contract/interpret';
import { useQuery } from '../../../api/context';
import { ErrorAlert } from '../../../lib/ErrorAlert';

const PAGE = 500;
// Small changes keep their significant digits (a fixed 4 decimals would show them as 0.0000).
const num = (v: number, digits = 4) => (!Number.isFinite(v) ? String(v) : v !== 0 && Math.abs(v) < 10 ** -(digits - 1) ? v.toExponential(2) : v.toFixed(digits));
const signed = (v: number, digits = 4) => (v > 0 ? '+' : '') + num(v, digits);

interface Props {
  project: string;
  run: InterpretInfo;
  onJump: (row: VariantEffectRow) => void;
}

export function VariantsTable({ project, run, onJump }: Props) {
  const [sort, setSort] = useState<{ by: VariantSort; descending: boolean }>({ by: 'absDiff', descending: true });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number | null>(null);
  const rows = useQuery('interpret.variantEffects', { project, id: run.id, sort: sort.by, descending: sort.descending, offset: (page - 1) * PAGE, limit: PAGE });

  const header = (by: VariantSort, label: string, firstDescending = true) => {
    const active = sort.by === by;
    const Icon = !active ? IconSelector : sort.descending ? IconArrowDown : IconArrowUp;
    return (
      <Table.Th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <UnstyledButton
          onClick={() => {
            setSort(active ? { by, descending: !sort.descending } : { by, descending: firstDescending });
            setPage(1);
          }}
          aria-label={`Sort by ${label}`}
        >
          <Group gap={2} wrap="nowrap">
            <Text size="sm" fw={600}>
              {label}
            </Text>
            <Icon size={14} />
          </Group>
        </UnstyledButton>
      </Table.Th>
    );
  };

  if (rows.error) return <ErrorAlert error={rows.error} />;
  const total = rows.data?.total ?? 0;
  return (
    <Stack gap={6}>
      {run.skipped.length > 0 && (
        <Alert color="yellow" variant="light" p="xs" title={`${run.skipped.length.toLocaleString('en-US')} allele(s) not scored`}>
          <Text size="xs" ff="monospace" style={{ whiteSpace: 'pre-line' }}>
            {run.skipped
              .slice(0, 5)
              .map((s) => `line ${s.line}: ${s.chrom}:${s.pos} ${s.ref}>${s.alt}: ${s.reason}`)
              .join('\n')}
            {run.skipped.length > 5 ? `\n… and ${run.skipped.length - 5} more` : ''}
          </Text>
        </Alert>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing={4} highlightOnHover aria-label="Variant effects" fz="sm" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              {header('position', 'Locus', false)}
              <Table.Th>REF&gt;ALT</Table.Th>
              <Table.Th>ID</Table.Th>
              <Table.Th>P(ref)</Table.Th>
              <Table.Th>P(alt)</Table.Th>
              {header('diff', 'Δ')}
              {header('absDiff', '|Δ|')}
              {header('log2fc', 'log2FC')}
              <Table.Th>Δ fwd</Table.Th>
              <Table.Th>Δ rev</Table.Th>
              <Table.Th>log2FC fwd</Table.Th>
              <Table.Th>log2FC rev</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(rows.data?.rows ?? []).map((r) => (
              <Table.Tr
                key={r.index}
                data-variant-index={r.index}
                onClick={() => {
                  setSelected(r.index);
                  onJump(r);
                }}
                style={{ cursor: 'pointer' }}
                bg={selected === r.index ? 'var(--mantine-color-blue-light)' : undefined}
                aria-selected={selected === r.index}
              >
                <Table.Td ff="monospace">
                  {r.chrom}:{r.pos.toLocaleString('en-US')}
                </Table.Td>
                <Table.Td ff="monospace" style={{ maxWidth: 160, overflowWrap: 'anywhere' }}>
                  {r.ref}&gt;{r.alt}
                </Table.Td>
                <Table.Td>{r.id}</Table.Td>
                <Table.Td>{num(r.refProb)}</Table.Td>
                <Table.Td>{num(r.altProb)}</Table.Td>
                <Table.Td c={r.diff < 0 ? 'blue.8' : r.diff > 0 ? 'red.8' : undefined} data-col="diff">
                  {signed(r.diff)}
                </Table.Td>
                <Table.Td>{num(Math.abs(r.diff))}</Table.Td>
                <Table.Td data-col="log2fc">{signed(r.log2fc, 3)}</Table.Td>
                <Table.Td>{signed(r.diffForward)}</Table.Td>
                <Table.Td>{signed(r.diffReverse)}</Table.Td>
                <Table.Td>{signed(r.log2fcForward, 3)}</Table.Td>
                <Table.Td>{signed(r.log2fcReverse, 3)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {total.toLocaleString('en-US')} scored allele(s) · {run.method}
        </Text>
        {total > PAGE && <Pagination size="sm" total={Math.ceil(total / PAGE)} value={page} onChange={setPage} />}
      </Group>
    </Stack>
  );
}
