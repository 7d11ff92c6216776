// A minimal Markdown view for model cards, written by hand because the app takes no new npm
// packages and a card needs little: headings, paragraphs, lists, tables, fenced code, block quotes,
// pictures (from the card's own folder, passed in as data: URLs) and inline bold, italics, code
// and links. Everything becomes React elements (no HTML is injected), and links are shown, not
// followed: Loci never leaves the machine.
import { Blockquote, Code, Image, List, Table, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { INLINE, parseMarkdown } from '../../../../shared/markdown';

function inline(text: string, images: Record<string, string>, key = ''): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const k = `${key}${n++}`;
    if (m[2] !== undefined) {
      const src = images[m[2]];
      out.push(src ? <Image key={k} src={src} alt={m[1]} maw="100%" w="auto" h="auto" display="inline-block" radius="sm" /> : <Text key={k} span c="dimmed" fs="italic">[picture: {m[1] || m[2]}]</Text>);
    } else if (m[4] !== undefined) {
      out.push(
        <Tooltip key={k} label={m[4]}>
          <Text span td="underline" style={{ textDecorationStyle: 'dotted' }}>
            {inline(m[3]!, images, `${k}.`)}
          </Text>
        </Tooltip>,
      );
    } else if (m[5] !== undefined) out.push(<Code key={k}>{m[5]}</Code>);
    else if (m[6] !== undefined || m[7] !== undefined) out.push(<strong key={k}>{inline(m[6] ?? m[7]!, images, `${k}.`)}</strong>);
    else out.push(<em key={k}>{inline(m[8] ?? m[9]!, images, `${k}.`)}</em>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source, images = {} }: { source: string; images?: Record<string, string> }) {
  return (
    <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
      {parseMarkdown(source).map((b, i) => {
        switch (b.kind) {
          case 'heading':
            return (
              <Title key={i} order={Math.min(6, b.level + 1) as 2} mt={i ? 'md' : 0} mb="xs">
                {inline(b.text, images)}
              </Title>
            );
          case 'paragraph':
            return (
              <Text key={i} size="sm" mb="sm">
                {inline(b.text, images)}
              </Text>
            );
          case 'list': {
            const items = b.items.map((item, j) => <List.Item key={j}>{inline(item, images)}</List.Item>);
            return (
              <List key={i} type={b.ordered ? 'ordered' : 'unordered'} size="sm" spacing={4} mb="sm" withPadding>
                {items}
              </List>
            );
          }
          case 'table': {
            const blankHeader = b.header.every((c) => c === '');
            return (
              <Table.ScrollContainer key={i} minWidth={400} mb="sm">
                <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4}>
                  {!blankHeader && (
                    <Table.Thead>
                      <Table.Tr>
                        {b.header.map((c, j) => (
                          <Table.Th key={j}>{inline(c, images)}</Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                  )}
                  <Table.Tbody>
                    {b.rows.map((row, r) => (
                      <Table.Tr key={r}>
                        {row.map((c, j) => (
                          // A key-value table's keys ("architecture") never break mid-word.
                          <Table.Td key={j} style={blankHeader && j === 0 ? { whiteSpace: 'nowrap', verticalAlign: 'top' } : undefined}>
                            {inline(c, images)}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            );
          }
          case 'code':
            return (
              <Code key={i} block mb="sm">
                {b.text}
              </Code>
            );
          case 'quote':
            return (
              <Blockquote key={i} p="sm" mb="sm">
                {inline(b.text, images)}
              </Blockquote>
            );
        }
      })}
    </div>
  );
}
