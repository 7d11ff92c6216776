// The track panel: every track the view can show, in display order, to show or hide, move up or
// down, recolour and resize. Changes are kept in the project (genomeView.settings.set) by the page.
import { ActionIcon, Card, Checkbox, ColorSwatch, Group, NumberInput, Popover, ColorPicker, ScrollArea, Stack, Text, Title, Tooltip, Loader, Center } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { moveTrack, PALETTE, type ArrangedTrack } from './tracks';

interface Props {
  arranged: ArrangedTrack[];
  errors: Record<string, string>;
  onChange: (next: ArrangedTrack[]) => void;
  onRemoveFile: (id: number) => void;
  loading: boolean;
}

export function TrackPanel({ arranged, errors, onChange, onRemoveFile, loading }: Props) {
  const update = (i: number, patch: Partial<ArrangedTrack>) => onChange(arranged.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <Card withBorder radius="md" padding="sm" w={320} style={{ flexShrink: 0, display: 'flex', flexDirection: 'column' }} aria-label="Tracks" component="section">
      <Title order={3} size="h5" mb={4}>
        Tracks
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        Shown top to bottom in this order; kept with the project.
      </Text>
      {loading && (
        <Center h={80}>
          <Loader size="sm" />
        </Center>
      )}
      {!loading && arranged.length === 0 && (
        <Text size="sm" c="dimmed">
          No tracks yet: import region sets or build a dataset on the Data page, scan the genome, or add one of your own files.
        </Text>
      )}
      <ScrollArea style={{ flex: 1 }} offsetScrollbars>
        <Stack gap={6}>
          {arranged.map((a, i) => {
            const d = a.descriptor;
            const groupStart = i === 0 || arranged[i - 1]!.descriptor.group !== d.group;
            const fileId = d.key.startsWith('file:') ? Number(d.key.slice(5)) : null;
            return (
              <div key={d.key}>
                {groupStart && (
                  <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt={i === 0 ? 0 : 'xs'}>
                    {d.group}
                  </Text>
                )}
                <Card withBorder padding={6} radius="sm" data-track-key={d.key}>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <Checkbox mt={2} size="xs" checked={a.visible} onChange={(e) => update(i, { visible: e.currentTarget.checked })} aria-label={`Show ${d.name}`} />
                    <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                      <Text size="sm" fw={500} truncate title={d.name}>
                        {d.name}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {d.detail}
                      </Text>
                      {errors[d.key] && (
                        <Text size="xs" c="red">
                          {errors[d.key]}
                        </Text>
                      )}
                      {d.legend && (
                        <Group gap={4} mt={2}>
                          {d.legend.map((l) => (
                            <Tooltip key={l.label} label={l.label}>
                              <ColorSwatch color={l.color} size={12} aria-label={l.label} />
                            </Tooltip>
                          ))}
                        </Group>
                      )}
                    </Stack>
                  </Group>
                  <Group gap={4} mt={4} justify="flex-end" wrap="nowrap">
                    {!d.legend && (
                      <Popover position="left" withArrow shadow="md">
                        <Popover.Target>
                          <ActionIcon variant="subtle" size="sm" aria-label={`Colour of ${d.name}`}>
                            <ColorSwatch color={a.color} size={14} />
                          </ActionIcon>
                        </Popover.Target>
                        <Popover.Dropdown>
                          <ColorPicker format="hex" value={a.color} swatches={[...PALETTE]} onChangeEnd={(c) => update(i, { color: c })} />
                        </Popover.Dropdown>
                      </Popover>
                    )}
                    <NumberInput
                      size="xs"
                      w={78}
                      min={15}
                      max={1000}
                      step={10}
                      value={a.height}
                      suffix=" px"
                      aria-label={`Height of ${d.name}`}
                      onBlur={(e) => {
                        const v = Number(e.currentTarget.value.replace(/[^\d]/g, ''));
                        if (Number.isInteger(v) && v >= 15 && v <= 1000 && v !== a.height) update(i, { height: v });
                      }}
                    />
                    <ActionIcon variant="subtle" size="sm" aria-label={`Move ${d.name} up`} disabled={i === 0} onClick={() => onChange(moveTrack(arranged, i, i - 1))}>
                      <IconArrowUp size={14} />
                    </ActionIcon>
                    <ActionIcon variant="subtle" size="sm" aria-label={`Move ${d.name} down`} disabled={i === arranged.length - 1} onClick={() => onChange(moveTrack(arranged, i, i + 1))}>
                      <IconArrowDown size={14} />
                    </ActionIcon>
                    {fileId !== null && (
                      <Tooltip label="Remove this file from the view (the file is kept)">
                        <ActionIcon variant="subtle" color="red" size="sm" aria-label={`Remove ${d.name}`} onClick={() => onRemoveFile(fileId)}>
                          <IconTrash size={14} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                </Card>
              </div>
            );
          })}
        </Stack>
      </ScrollArea>
    </Card>
  );
}
