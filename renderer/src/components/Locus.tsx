// A place on the genome as people read it ("chr:1,235-5,678 (+)", via shared/locus). Given `href`
// (e.g. the Genome view at that place) it is a link; without one, plain monospace text.
import { Anchor, Text } from '@mantine/core';
import { formatLocus, type LocusParts } from '../../../shared/locus';

interface Props extends LocusParts {
  /** Where clicking the locus goes (the Genome view plugs in here); plain text when absent. */
  href?: string | undefined;
}

export function Locus({ href, ...parts }: Props) {
  const text = formatLocus(parts);
  if (href) {
    return (
      <Anchor href={href} ff="monospace" size="xs" style={{ whiteSpace: 'nowrap' }} data-locus={text}>
        {text}
      </Anchor>
    );
  }
  return (
    <Text span ff="monospace" size="xs" style={{ whiteSpace: 'nowrap' }} data-locus={text}>
      {text}
    </Text>
  );
}
