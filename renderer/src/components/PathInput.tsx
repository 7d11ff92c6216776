// A text input for a path on the machine running Loci: monospace, no spell check or autofill.
// Loci reads files where they are (by reference), so a typed path is how files get in.
import { TextInput, type TextInputProps } from '@mantine/core';

// geometricPrecision: with hinting, DejaVu Sans Mono (Linux's usual monospace) draws '_' below the
// line box at 14 px, so GCF_000005845.2_ASM584v2 read as "GCF 000005845.2 ASM584v2".
const styles = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)', textRendering: 'geometricPrecision' as const } };

export function PathInput(props: TextInputProps) {
  return <TextInput spellCheck={false} autoComplete="off" autoCapitalize="off" styles={styles} {...props} />;
}
