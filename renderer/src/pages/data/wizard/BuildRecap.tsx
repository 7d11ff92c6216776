// The summary before a build: what goes in, and roughly what comes out, in words.
import { Alert, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { countOf, type Genome, type RegionSet, type TablePreview } from '../../../../../shared/contract/data';
import { baseName } from '../format';
import type { ImportKind } from './ChooseFileStep';
import type { Num, RegionSettings, TableSettings } from './settings';
import { FactsTable } from '../../../components/FactsTable';
import { formatBp } from '../../../../../shared/bp';

const n = (v: Num) => (typeof v === 'number' ? v : Number.NaN);
const show = (v: Num, unit = '') => (typeof v === 'number' ? `${v.toLocaleString('en-US')}${unit}` : '—');
const showBp = (v: Num) => (typeof v === 'number' ? formatBp(v) : '—');

const negativeWords: Record<RegionSettings['negatives'], string> = {
  'gc-matched': 'genome windows with the same GC content as the positives',
  shuffled: 'positives shuffled with their dinucleotide content kept',
  random: 'random genome windows',
  none: 'none',
};

function regionRows(s: RegionSettings, sets: RegionSet[], genome: Genome | undefined): Array<[string, string]> {
  const chosen = sets.filter((r) => s.regionSetIds.includes(r.id));
  const positives = chosen.reduce((a, r) => a + r.count, 0);
  const perRegion = s.placement === 'sampled' ? n(s.perRegion) : 1;
  const windows = s.placement === 'tiled' ? 'tiles along each region' : `${perRegion} window${perRegion === 1 ? '' : 's'} per region`;
  const expected = s.placement === 'tiled' || s.negatives === 'none' ? null : Math.round(positives * perRegion * n(s.ratio));
  const split =
    s.split === 'chromosomes'
      ? `by chromosome: dev ${s.devChroms.join(', ') || 'none'}, test ${s.testChroms.join(', ') || 'none'}, train the rest`
      : `${s.split === 'blocks' ? 'position blocks' : 'at random'}: ${show(s.percentages.train)}% / ${show(s.percentages.dev)}% / ${show(s.percentages.test)}%`;
  const labels = s.labels === 'set' ? chosen.map((r) => r.name).join(', ') : s.labels === 'name' ? 'from the BED name column' : `score ≥ ${show(s.scoreThreshold)} → ${s.scoreAbove}${s.scoreBelow ? `, else ${s.scoreBelow}` : ''}`;
  return [
    ['Genome', genome ? `${genome.name} (${countOf(genome.sequences.length, 'sequence')})` : '—'],
    ['Positives', `${positives.toLocaleString()} regions from ${chosen.map((r) => `“${r.name}”`).join(', ') || 'no set'}`],
    ['Classes', s.negatives === 'none' ? labels : `${labels}, ${s.negativeLabel || 'background'}`],
    ['Windows', `${showBp(s.windowLength)}, ${s.placement === 'centred' ? `centred on the ${s.anchor === 'centre' ? 'middle' : s.anchor} of each region` : windows}${s.orientByStrand ? ', read on the region’s strand' : ''}`],
    ['Negatives', s.negatives === 'none' ? 'none' : `${negativeWords[s.negatives]}; ratio ${show(s.ratio)}${expected !== null && Number.isFinite(expected) ? ` (about ${expected.toLocaleString()})` : ''}; margin ${showBp(s.margin)}`],
    ['Filters', `at most ${show(s.maxNPercent, '%')} N per window`],
    ['Split', split],
    ['Augmentation', s.rcAugment ? 'reverse complement of every training sequence' : 'none'],
    ['Seed', show(s.seed)],
  ];
}

function tableRows(s: TableSettings, preview: TablePreview | null, path: string): Array<[string, string]> {
  return [
    ['File', baseName(path)],
    ['Sequences', preview ? preview.count.toLocaleString() : '—'],
    ['Classes', preview ? preview.classes.map((c) => `${c} (${(preview.classCounts[c] ?? 0).toLocaleString()})`).join(', ') : '—'],
    ['Split', s.split === 'random' ? `at random: ${show(s.percentages.train)}% / ${show(s.percentages.dev)}% / ${show(s.percentages.test)}%, seed ${show(s.seed)}` : `this file is train; dev ${s.devPath ? baseName(s.devPath) : 'none'}, test ${s.testPath ? baseName(s.testPath) : 'none'}`],
  ];
}

interface Props {
  kind: ImportKind;
  regions: RegionSettings;
  table: TableSettings;
  tablePreview: TablePreview | null;
  sets: RegionSet[];
  genome: Genome | undefined;
  path: string;
}

export function BuildRecap({ kind, regions, table, tablePreview, sets, genome, path }: Props) {
  const rows = kind === 'table' ? tableRows(table, tablePreview, path) : regionRows(regions, sets, genome);
  return (
    <>
      <Text size="sm">
        Dataset <b>{kind === 'table' ? table.name : regions.name}</b> will be built from:
      </Text>
      <FactsTable rows={rows} label="Dataset to build" labelWidth={140} variant="vertical" layout="fixed" withTableBorder />
      <Alert variant="light" color="gray" icon={<IconInfoCircle />}>
        The sequences are stored in the project, so training needs neither the genome nor the region files afterwards.
      </Alert>
    </>
  );
}
