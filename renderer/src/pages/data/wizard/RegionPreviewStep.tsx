// Step 2 for regions: what Loci read from the BED/GFF3 (first records, detected format, feature
// types), the lines it could not use, and chromosome names it could map onto the genome's.
import { Alert, Badge, Button, Checkbox, Code, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { IconAlertTriangle, IconArrowsExchange, IconCheck } from '@tabler/icons-react';
import type { RegionPreview } from '../../../../../shared/contract/data';
import { LOCUS_CONVENTION } from '../../../../../shared/locus';
import { Locus } from '../../../components/Locus';
import { LineErrorsTable } from './LineErrorsTable';
import { formatBp } from '../../../../../shared/bp';

interface Props {
  preview: RegionPreview;
  gffTypes: string[];
  onGffTypes: (types: string[]) => void;
  deriveStarts: boolean;
  onDeriveStarts: (on: boolean) => void;
  /** The renaming applied to this preview, if any. */
  rename: Record<string, string> | null;
  onRename: (mapping: Record<string, string> | null) => void;
  tolerate: boolean;
  onTolerate: (on: boolean) => void;
  setName: string;
  onSetName: (name: string) => void;
  nameError: string | undefined;
  busy: boolean;
  /** Sequence names of the genome the regions go on, the targets a mapping can choose. */
  genomeNames: string[];
}

function typeLabel(t: { type: string; count: number; valid?: number | undefined }): string {
  const valid = t.valid ?? t.count;
  const bad = t.count - valid;
  return `${t.type} (${valid.toLocaleString()}${bad > 0 ? `; ${bad.toLocaleString()} line${bad === 1 ? '' : 's'} with problems` : ''})`;
}

interface MappingProps {
  /** Pre-fill the suggested mapping (not when the lengths say it is probably another assembly). */
  trustSuggestion: boolean;
  unknown: string[];
  suggestion: RegionPreview['chromMapping'];
  genomeNames: string[];
  rename: Record<string, string> | null;
  onRename: (mapping: Record<string, string> | null) => void;
  busy: boolean;
}

const LEAVE_OUT = '';
const SHOWN = 50;

/**
 * Chromosome names of the file that the genome lacks, each with a genome sequence to map it to:
 * pre-filled from the suggestion (known aliases, one sequence vs one chromosome), editable by hand.
 */
function ChromMappingPanel({ trustSuggestion, unknown, suggestion, genomeNames, rename, onRename, busy }: MappingProps) {
  // The user's picks over the suggestion (a new preview remounts this panel: see its key).
  const [edits, setEdits] = useState<Record<string, string>>({});
  const choice: Record<string, string> = { ...(trustSuggestion ? (suggestion?.mapping ?? {}) : {}), ...edits };
  const applied = rename ? Object.entries(rename) : [];
  if (unknown.length === 0 && applied.length === 0) return null;
  const chosen = Object.fromEntries(Object.entries(choice).filter(([from, to]) => to !== LEAVE_OUT && unknown.includes(from)));
  const options = [{ value: LEAVE_OUT, label: 'not in the genome (leave out)' }, ...genomeNames.map((n) => ({ value: n, label: n }))];
  return (
    <Alert
      color={unknown.length === 0 ? 'teal' : 'blue'}
      variant="light"
      icon={unknown.length === 0 ? <IconCheck /> : <IconArrowsExchange />}
      title={unknown.length === 0 ? 'Chromosome names mapped' : 'Chromosome names differ from the genome'}
      data-testid="chrom-mapping"
    >
      <Stack gap={6}>
        {applied.length > 0 && (
          <Group gap={6}>
            <Text size="sm">Renamed on import:</Text>
            {applied.slice(0, 8).map(([from, to]) => (
              <Code key={from}>
                {from} → {to}
              </Code>
            ))}
            {applied.length > 8 && <Text size="xs">… and {applied.length - 8} more</Text>}
            <Button size="xs" variant="default" onClick={() => onRename(null)} loading={busy}>
              Undo mapping
            </Button>
          </Group>
        )}
        {unknown.length > 0 && (
          <>
            <Text size="sm">
              {suggestion ? `Suggested: ${suggestion.description}.` : 'These names are not in the genome.'} Choose the genome sequence each name means, or leave its lines out.
            </Text>
            <Table fz="xs" verticalSpacing={3} maw={560} aria-label="Chromosome name mapping">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>In the file</Table.Th>
                  <Table.Th>In the genome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {unknown.slice(0, SHOWN).map((from) => (
                  <Table.Tr key={from}>
                    <Table.Td ff="monospace">{from}</Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={`Genome sequence for ${from}`}
                        data={options}
                        value={choice[from] ?? LEAVE_OUT}
                        onChange={(v) => setEdits((c) => ({ ...c, [from]: v ?? LEAVE_OUT }))}
                        searchable
                        allowDeselect={false}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {unknown.length > SHOWN && <Text size="xs">… and {unknown.length - SHOWN} more names (use the CLI's --rename for long lists).</Text>}
            <Group>
              <Button size="xs" onClick={() => onRename({ ...(rename ?? {}), ...chosen })} loading={busy} disabled={Object.keys(chosen).length === 0}>
                Apply mapping
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Alert>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700}>{value}</Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

export function RegionPreviewStep(p: Props) {
  const { preview } = p;
  const isGff = preview.format === 'gff3';
  // Features that pass the checks, so "To import" never exceeds "Features".
  const chosen = isGff ? preview.gffTypes.filter((t) => p.gffTypes.includes(t.type)).reduce((a, t) => a + (t.valid ?? t.count), 0) : preview.validCount;
  const mapping = preview.chromMapping;
  // The first records of the chosen GFF types (the service sends the first 20 of each type).
  const shownRecords = (isGff ? preview.records.filter((r) => r.type !== undefined && p.gffTypes.includes(r.type)) : preview.records).slice(0, 20);
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge variant="light" size="lg" tt="none">
          Detected: {isGff ? 'GFF3' : 'BED'}
        </Badge>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {preview.summary}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat label="Data lines" value={preview.dataLines.toLocaleString()} hint={preview.otherLines ? `plus ${preview.otherLines.toLocaleString()} header, comment or blank line${preview.otherLines === 1 ? '' : 's'}` : undefined} />
        <Stat label={isGff ? 'Features' : 'Regions'} value={preview.validCount.toLocaleString()} />
        <Stat label="Lines with problems" value={preview.errorCount.toLocaleString()} />
        <Stat label="To import" value={`${chosen.toLocaleString()}${isGff && p.deriveStarts ? ' (start sites)' : ''}`} />
      </SimpleGrid>

      {preview.assemblyWarning && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="This file may be for another assembly" data-testid="assembly-warning">
          <Text size="sm">{preview.assemblyWarning.charAt(0).toUpperCase() + preview.assemblyWarning.slice(1)}</Text>
        </Alert>
      )}
      <ChromMappingPanel
        trustSuggestion={!preview.assemblyWarning}
        key={`${preview.file}\n${JSON.stringify(p.rename)}\n${JSON.stringify(mapping?.mapping ?? {})}`}
        unknown={preview.unknownChroms ?? mapping?.unmapped.concat(Object.keys(mapping.mapping)) ?? []}
        suggestion={mapping}
        genomeNames={p.genomeNames}
        rename={p.rename}
        onRename={p.onRename}
        busy={p.busy}
      />

      {isGff && (
        <Stack gap="xs">
          <Checkbox.Group label="Feature types to import" description="Each kept feature becomes one region; pick e.g. CDS or gene." value={p.gffTypes} onChange={p.onGffTypes}>
            <Group gap="md" mt={6}>
              {preview.gffTypes.map((t) => (
                <Checkbox key={t.type} value={t.type} label={typeLabel(t)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Switch
            checked={p.deriveStarts}
            onChange={(e) => p.onDeriveStarts(e.currentTarget.checked)}
            label="Derive start sites"
            description="Keep only the first base of each feature (strand-aware: the end on the − strand), e.g. translation or transcription starts."
          />
        </Stack>
      )}

      <LineErrorsTable errors={preview.errors} total={preview.errorCount} tolerated={p.tolerate} groups={preview.errorGroups} />
      {preview.errorCount > 0 && (
        <Checkbox
          checked={p.tolerate}
          onChange={(e) => p.onTolerate(e.currentTarget.checked)}
          label={`Leave out the ${preview.errorCount.toLocaleString()} line${preview.errorCount === 1 ? '' : 's'} with problems and import the rest`}
        />
      )}
      <TextInput
        label="Name of the region set"
        description="Also the class name of these regions in a dataset."
        value={p.setName}
        onChange={(e) => p.onSetName(e.currentTarget.value)}
        error={p.nameError}
        required
      />

      <div>
        <Text size="sm" fw={500}>
          First records
        </Text>
        <Text size="xs" c="dimmed" mb={4}>
          {LOCUS_CONVENTION}
        </Text>
        <Table.ScrollContainer minWidth={640} mah={260}>
          <Table fz="xs" verticalSpacing={3} striped stickyHeader withTableBorder aria-label="First records">
            <Table.Thead>
              <Table.Tr>
                <Table.Th ta="right">Line</Table.Th>
                <Table.Th>Locus</Table.Th>
                <Table.Th ta="right">Length</Table.Th>
                {isGff && <Table.Th>Type</Table.Th>}
                <Table.Th>Name</Table.Th>
                <Table.Th ta="right">Score</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shownRecords.map((r) => (
                <Table.Tr key={`${r.line}-${r.start}-${r.type ?? ''}`}>
                  <Table.Td ta="right" ff="monospace">
                    {r.line}
                  </Table.Td>
                  <Table.Td>
                    <Locus chrom={r.chrom} start={r.start} end={r.end} strand={r.strand} />
                  </Table.Td>
                  <Table.Td ta="right">{formatBp(r.end - r.start)}</Table.Td>
                  {isGff && <Table.Td>{r.type}</Table.Td>}
                  <Table.Td>{r.name ?? ''}</Table.Td>
                  <Table.Td ta="right">{r.score ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {shownRecords.length === 0 && (
          <Text size="sm" c="dimmed">
            {preview.records.length === 0 ? 'No usable records.' : 'No usable records of the chosen feature types.'}
          </Text>
        )}
      </div>

    </Stack>
  );
}
