// The locus box: `chr1:1,001-2,000`, a chromosome name, or a feature name from the project's own
// region sets (genomeView.search; never igv.org). Suggestions appear as the user types.
import { Autocomplete, Button, Group } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { SearchMatch } from '../../../../shared/contract/genome-view';
import { toApiError } from '../../../../shared/client';
import { useClient } from '../../api/context';
import { formatBp } from '../../../../shared/bp';

/** igv's 1-based locus of a match, with a little room around a feature. */
export function matchLocus(m: SearchMatch): string {
  if (m.source === 'chromosome') return m.chrom;
  return `${m.chrom}:${m.start + 1}-${m.end}`;
}

const label = (m: SearchMatch) =>
  m.source === 'locus'
    ? m.name
    : m.source === 'chromosome'
      ? `${m.name}${m.description ? ` — ${m.description}` : ''} (${formatBp(m.end)})`
      : `${m.name} — ${m.chrom}:${(m.start + 1).toLocaleString('en-US')}-${m.end.toLocaleString('en-US')} (${m.source})`;

export function LocusBox({ project, genomeId, locus, onGo }: { project: string; genomeId: number; locus: string; onGo: (locus: string) => void }) {
  const client = useClient();
  const [text, setText] = useState(locus);
  const [matches, setMatches] = useState<SearchMatch[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [shownLocus, setShownLocus] = useState(locus);

  // Follow igv's locus unless the user is typing.
  if (locus !== shownLocus) {
    setShownLocus(locus);
    if (!editing) setText(locus);
  }

  // Suggestions for names (not for coordinates), a moment after typing stops.
  const query = text.trim();
  const suggest = editing && query.length >= 2 && !query.includes(':');
  useEffect(() => {
    if (!suggest) return;
    const q = query;
    const t = setTimeout(() => {
      client.call('genomeView.search', { project, genomeId, query: q, limit: 10 }).then(
        (r) => setMatches(r.matches),
        () => setMatches([]),
      );
    }, 200);
    return () => clearTimeout(t);
  }, [client, project, genomeId, query, suggest]);
  const shown = suggest ? matches : [];

  async function submit(query = text) {
    const q = query.trim();
    if (!q) return;
    setError(null);
    try {
      const { matches: found } = await client.call('genomeView.search', { project, genomeId, query: q, limit: 10 });
      const first = found[0];
      if (!first) {
        setError(`Nothing called "${q}" in this genome`);
        return;
      }
      setEditing(false);
      onGo(matchLocus(first));
    } catch (err) {
      setError(toApiError(err).message);
    }
  }

  return (
    <Group gap={4} wrap="nowrap">
      <Autocomplete
        aria-label="Locus"
        placeholder="chr:start-end, chromosome or feature name"
        w={260}
        value={text}
        error={error}
        data={shown.map((m) => ({ value: label(m), label: label(m) }))}
        filter={({ options }) => options}
        onChange={(v) => {
          setEditing(true);
          setError(null);
          setText(v);
        }}
        onOptionSubmit={(value) => {
          const m = shown.find((x) => label(x) === value);
          if (m) {
            setEditing(false);
            setText(m.name);
            onGo(matchLocus(m));
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.defaultPrevented) void submit();
        }}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <Button variant="default" aria-label="Go to locus" onClick={() => void submit()}>
        <IconSearch size={16} />
      </Button>
    </Group>
  );
}
