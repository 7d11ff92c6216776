// A drop target that reports the dropped file's name. Written by hand (a dozen lines of native drag
// events) instead of @mantine/dropzone: that package pulls react-dropzone 20, which requires
// Node >= 22 and so contradicted Loci's Node 20.19+ requirement, and Loci needs only the name (a
// browser never tells a page where a dropped file lives; imports are by path).
import { Paper } from '@mantine/core';
import { useState, type ReactNode } from 'react';

interface Props {
  onDropName: (fileName: string) => void;
  children: ReactNode;
  'aria-label'?: string;
}

export function FileDropArea({ onDropName, children, ...rest }: Props) {
  const [over, setOver] = useState(false);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      aria-label={rest['aria-label']}
      data-dragging={over || undefined}
      style={{ borderStyle: 'dashed', borderColor: over ? 'var(--mantine-primary-color-filled)' : undefined }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) onDropName(file.name);
      }}
    >
      {children}
    </Paper>
  );
}
