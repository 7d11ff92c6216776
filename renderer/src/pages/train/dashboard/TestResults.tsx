// What the run's best checkpoint does on the test split, seen once at the end: the headline metrics,
// the confusion matrix, ROC and precision-recall curves, per-class figures and the examples the
// model gets most wrong (often the quickest way to spot a labelling problem).
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconBrain } from '@tabler/icons-react';
import type { RunDetail, TestMetrics } from '../../../../../shared/contract/training';
import { ConfusionMatrix } from '../../../components/ConfusionMatrix';
import { CopySequence } from '../../../components/CopySequence';
import { CurveChart } from '../../../components/CurveChart';
import { StatTile } from '../../../components/StatTile';
import { Locus } from '../../../components/Locus';
import { metric } from '../format';
import { RunVerdict } from './RunVerdict';

const headline: Array<[keyof TestMetrics, string, string]> = [
  ['mcc', 'MCC', "Matthews correlation: -1 to 1, 0 is chance; the GUE benchmark's metric"],
  ['f1Macro', 'F1 (macro)', 'Mean of the per-class F1 scores'],
  ['accuracy', 'Accuracy', 'Share of test sequences predicted right'],
  ['precisionMacro', 'Precision', 'Macro average over classes'],
  ['recallMacro', 'Recall', 'Macro average over classes'],
  ['auroc', 'AUROC', 'Area under the ROC curve'],
  ['auprc', 'AUPRC', 'Area under the precision-recall curve'],
];

type ExampleLocus = NonNullable<RunDetail['mostWrong'][number]['locus']>;

/** `locusHref`: where an example's locus links to (the Genome view there), when the dataset has a genome. */
export function TestResults({ run, test, locusHref }: { run: RunDetail; test: TestMetrics; locusHref?: ((locus: ExampleLocus) => string) | undefined }) {
  const positive = run.classNames.length === 2 ? run.classNames[1] : undefined;
  return (
    <Stack gap="md" component="section" aria-labelledby="test-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3} size="h4" id="test-title">
            Test results
          </Title>
          <Text size="sm" c="dimmed">
            The best checkpoint{run.bestStep !== null ? ` (step ${run.bestStep.toLocaleString()})` : ''} on the held-out test split.
          </Text>
        </div>
        {run.outputModelId !== null && (
          <Button component="a" href="#/models" variant="light" leftSection={<IconBrain size={16} />}>
            Saved model: see the Models page
          </Button>
        )}
      </Group>

      <RunVerdict run={run} test={test} />

      <Group gap="xs" role="list" aria-label="Test metrics">
        {headline.map(([key, label, hint]) => (
          <div role="listitem" key={key} aria-label={`${label}: ${metric(test[key] as number | null)}`}>
            <StatTile label={label} value={metric(test[key] as number | null)} hint={hint} testId={`test-${key}`} />
          </div>
        ))}
      </Group>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card withBorder padding="md">
          <Title order={4} size="h5" mb="xs">
            Confusion matrix
          </Title>
          <ConfusionMatrix classes={run.classNames} matrix={test.confusion} />
          <Text size="xs" c="dimmed" mt="xs">
            Rows: the true class; columns: the prediction. Shading is the share of the row.
          </Text>
        </Card>
        <Card withBorder padding="md">
          <Title order={4} size="h5" mb="xs">
            Per class
          </Title>
          <Table verticalSpacing={6} aria-label="Per-class metrics">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Class</Table.Th>
                <Table.Th ta="right">Precision</Table.Th>
                <Table.Th ta="right">Recall</Table.Th>
                <Table.Th ta="right">F1</Table.Th>
                <Table.Th ta="right">Support</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ fontVariantNumeric: 'tabular-nums' }}>
              {test.perClass.map((c) => (
                <Table.Tr key={c.name}>
                  <Table.Td fw={500}>{c.name}</Table.Td>
                  <Table.Td ta="right">{metric(c.precision)}</Table.Td>
                  <Table.Td ta="right">{metric(c.recall)}</Table.Td>
                  <Table.Td ta="right">{metric(c.f1)}</Table.Td>
                  <Table.Td ta="right">{c.support.toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>

      {(test.roc.length > 0 || test.pr.length > 0) && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Card withBorder padding="md">
            <Title order={4} size="h5">
              ROC curve
            </Title>
            <Text size="xs" c="dimmed" mb="xs">
              AUROC {metric(test.auroc)}
              {positive ? ` · positive class: ${positive}` : ' · one class against the rest'}
            </Text>
            <CurveChart
              label="ROC curve"
              unitSquare
              xLabel="false positive rate"
              yLabel="true positive rate"
              height={260}
              series={[
                { name: 'roc', label: 'ROC', color: 'teal.6', points: test.roc },
                { name: 'chance', label: 'chance', color: 'gray.5', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], dashed: true },
              ]}
            />
          </Card>
          <Card withBorder padding="md">
            <Title order={4} size="h5">
              Precision-recall curve
            </Title>
            <Text size="xs" c="dimmed" mb="xs">
              AUPRC {metric(test.auprc)}
            </Text>
            <CurveChart label="Precision-recall curve" unitSquare xLabel="recall" yLabel="precision" height={260} series={[{ name: 'pr', label: 'precision', color: 'indigo.6', points: test.pr }]} />
          </Card>
        </SimpleGrid>
      )}

      <MostWrong examples={run.mostWrong} locusHref={locusHref} />
      {run.outputModelId !== null && (
        <Text size="sm">
          The fine-tuned model is saved in the project: train from it again or export it from the <Anchor href="#/models">Models page</Anchor>.
        </Text>
      )}
    </Stack>
  );
}

// How the dataset builder labelled an example (dataset_items.origin).
const ORIGIN_WORDS: Record<string, string> = {
  positive: 'from the region set',
  background: 'background window',
  shuffled: 'shuffled sequence',
  imported: 'imported sequence',
};

/**
 * The test examples the model was most confident about and wrong on. When it got every one right,
 * the list (if the service sent any) holds its least confident right answers instead, said as such.
 */
function MostWrong({ examples, locusHref }: { examples: RunDetail['mostWrong']; locusHref?: ((locus: ExampleLocus) => string) | undefined }) {
  const wrong = examples.filter((w) => w.label !== w.predicted);
  const shown = wrong.length ? wrong : examples;
  return (
    <Card withBorder padding="md">
      <Title order={4} size="h5">
        Examples the model gets most wrong
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {wrong.length
          ? 'Test sequences where the model was most confident in a wrong class, with where they lie on the genome and how they were labelled. Look there for mislabelled regions or a pattern the model missed.'
          : examples.length
            ? 'None: every test sequence was predicted right. These are the ones it was least sure of.'
            : 'None: every test sequence was predicted right.'}
      </Text>
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={4} aria-label={wrong.length ? 'Examples the model gets most wrong' : 'Least confident test examples'} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>#</Table.Th>
                <Table.Th>Locus</Table.Th>
                <Table.Th>Sequence</Table.Th>
                <Table.Th>True label</Table.Th>
                <Table.Th>Predicted</Table.Th>
                <Table.Th ta="right">Confidence</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((w) => (
                <Table.Tr key={w.index}>
                  <Table.Td c="dimmed">{w.index}</Table.Td>
                  <Table.Td>{w.locus ? <Locus {...w.locus} href={locusHref?.(w.locus)} /> : <Text size="xs" c="dimmed">not from the genome</Text>}</Table.Td>
                  <Table.Td>
                    <CopySequence sequence={w.sequence} />
                  </Table.Td>
                  <Table.Td>
                    {w.label}
                    {w.origin && (
                      <Text size="xs" c="dimmed">
                        {ORIGIN_WORDS[w.origin] ?? w.origin}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td c={w.label !== w.predicted ? 'red' : undefined} fw={w.label !== w.predicted ? 600 : undefined}>
                    {w.predicted}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {(w.confidence * 100).toFixed(1)}%
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
