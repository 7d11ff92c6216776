// Step 1: what to import, and which file. Loci reads files where they are (never copies them), so
// it needs the file's full path on this machine: the path input is the way in. A browser does not
// tell a page where a dropped file lives, so a drop only fills in the name and asks for the path.
import { Alert, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconDna, IconFileUpload, IconInfoCircle, IconTable, IconTimeline } from '@tabler/icons-react';
import { countOf, type Genome } from '../../../../../shared/contract/data';
import { FileDropArea } from '../../../components/FileDropArea';
import { PathInput } from '../../../components/PathInput';

export type ImportKind = 'genome' | 'regions' | 'table';

const kinds: Array<{ value: ImportKind; title: string; formats: string; hint: string; icon: typeof IconDna }> = [
  { value: 'genome', title: 'Genome', formats: 'FASTA (.fa, .fa.gz, bgzip)', hint: 'The reference sequences. Indexed where it lies; never copied.', icon: IconDna },
  { value: 'regions', title: 'Labelled regions', formats: 'BED or GFF3', hint: 'Positions on a genome (peaks, sites, genes); a dataset takes windows around them.', icon: IconTimeline },
  { value: 'table', title: 'Labelled sequences', formats: 'CSV, TSV or FASTA', hint: 'Sequences with a label each, already cut (e.g. a GUE task).', icon: IconTable },
];

/** The kind a file name suggests, for a drop. */
export function kindOfFile(name: string): ImportKind | undefined {
  const n = name.toLowerCase().replace(/\.(gz|bgz)$/, '');
  if (/\.(bed|gff3?|gtf)$/.test(n)) return 'regions';
  if (/\.(csv|tsv)$/.test(n)) return 'table';
  if (/\.(fa|fasta|fna|fas)$/.test(n)) return 'genome';
  return undefined;
}

interface Props {
  kind: ImportKind;
  onKind: (kind: ImportKind) => void;
  path: string;
  onPath: (path: string) => void;
  pathError: string | undefined;
  name: string;
  onName: (name: string) => void;
  nameError: string | undefined;
  genomes: Genome[];
  genomeId: number | null;
  onGenome: (id: number | null) => void;
  genomeError: string | undefined;
  dropped: string | null;
  onDrop: (fileName: string) => void;
  mode: 'desktop' | 'browser';
}

export function ChooseFileStep(p: Props) {
  const noGenome = p.kind === 'regions' && p.genomes.length === 0;
  const placeholder = p.kind === 'genome' ? '/home/me/genomes/GRCh38.fa.gz' : p.kind === 'regions' ? '/home/me/peaks/ctcf.bed' : '/home/me/gue/prom_300_all/train.csv';
  return (
    <Stack gap="md">
      <Radio.Group value={p.kind} onChange={(v) => p.onKind(v as ImportKind)} label="What do you want to import?">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" mt={6}>
          {kinds.map((k) => (
            <Radio.Card key={k.value} value={k.value} p="sm" radius="md" aria-label={`${k.title}: ${k.formats}`}>
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator mt={2} />
                <div>
                  <Group gap={6}>
                    <k.icon size={16} aria-hidden />
                    <Text fw={600} size="sm">
                      {k.title}
                    </Text>
                  </Group>
                  <Text size="xs" fw={500}>
                    {k.formats}
                  </Text>
                  <Text size="xs" c="dimmed" mt={2}>
                    {k.hint}
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          ))}
        </SimpleGrid>
      </Radio.Group>

      {p.kind === 'regions' && (
        <Select
          label="Genome"
          description="Regions are checked against this genome's chromosome names and lengths."
          placeholder={noGenome ? 'Import a genome first' : 'Choose a genome'}
          data={p.genomes.map((g) => ({ value: String(g.id), label: `${g.name} (${countOf(g.sequences.length, 'sequence')})` }))}
          value={p.genomeId === null ? null : String(p.genomeId)}
          onChange={(v) => p.onGenome(v === null ? null : Number(v))}
          disabled={noGenome}
          error={p.genomeError ?? (noGenome ? 'This project has no genome yet: import the genome FASTA first.' : undefined)}
          allowDeselect={false}
        />
      )}

      <PathInput
        label="Full path of the file"
        description={`The file stays where it is: Loci ${p.kind === 'table' ? 'reads it when building the dataset' : 'reads it in place'} and keeps its checksum. Paste the path, e.g. from your file manager's “Copy path”.`}
        placeholder={placeholder}
        value={p.path}
        onChange={(e) => p.onPath(e.currentTarget.value)}
        error={p.pathError}
        required
        data-autofocus
      />

      <FileDropArea onDropName={p.onDrop} aria-label="Drop a file here">
        <Group justify="center" gap="sm" mih={56} style={{ pointerEvents: 'none' }}>
          <IconFileUpload size={28} stroke={1.5} aria-hidden color="var(--mantine-color-dimmed)" />
          <div>
            <Text size="sm">Or drop the file here to fill in its name</Text>
            <Text size="xs" c="dimmed">
              Nothing is uploaded or copied.
            </Text>
          </div>
        </Group>
      </FileDropArea>

      {p.dropped && (
        <Alert variant="light" color="blue" icon={<IconInfoCircle />} title={`Dropped: ${p.dropped}`}>
          {p.mode === 'browser'
            ? 'A browser does not tell the page where a dropped file lives, and Loci imports files by reference. Complete the path above with the folder that holds this file.'
            : 'Complete the path above with the folder that holds this file.'}
        </Alert>
      )}

      {p.kind === 'genome' && (
        <TextInput
          label="Name in the project"
          description="Optional: defaults to the file name."
          placeholder="e.g. E. coli K-12 MG1655"
          value={p.name}
          onChange={(e) => p.onName(e.currentTarget.value)}
          error={p.nameError}
        />
      )}
    </Stack>
  );
}
