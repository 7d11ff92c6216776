// The Genome view: the project's reference in an embedded igv.js, read by byte range, with the
// project's region sets, dataset labels, scan tracks and called regions, and the user's own track
// files beside them. A locus box searches the project's own names; the track panel shows, hides,
// reorders, recolours and resizes tracks; the locus and the panel are kept per genome in the project.
import { Alert, Anchor, Button, Card, Center, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { IconFileImport, IconInfoCircle, IconLayoutSidebarRight, IconZoomIn, IconZoomOut } from '@tabler/icons-react';
import { ActionIcon, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TrackSetting, ViewReference } from '../../../../shared/contract/genome-view';
import { toApiError } from '../../../../shared/client';
import { useClient, useEvent, useQuery } from '../../api/context';
import { fileUrl } from '../../api/file-url';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { notifyFailure } from '../../lib/notify';
import { useProject } from '../../project/context';
import { AddTrackFileModal } from './AddTrackFileModal';
import { FeatureDetails, type ClickedFeature } from './FeatureDetails';
import { IgvSession } from './igv-session';
import { LocusBox } from './LocusBox';
import { parseGenomeRoute } from './route';
import { TrackPanel } from './TrackPanel';
import { arrangeTracks, describeTracks, settingsOf, toIgvFeature, type ArrangedTrack, type Readers, type ScanTrackSource } from './tracks';
import { useHashRoute } from './use-hash-route';

export default function GenomePage() {
  const { project } = useProject();
  if (!project) {
    return (
      <Stack maw={900}>
        <Title order={2}>Genome view</Title>
        <Text c="dimmed">
          Open a project on the <Anchor href="#/projects">Projects</Anchor> page to see its genome, labels and predictions here.
        </Text>
      </Stack>
    );
  }
  return <GenomeView project={project.path} />;
}

function GenomeView({ project }: { project: string }) {
  const route = useHashRoute(parseGenomeRoute);
  const settings = useQuery('genomeView.settings.get', { project, ...(route.genomeId && { genomeId: route.genomeId }) });
  const genomeId = route.genomeId ?? settings.data?.genomeId ?? null;
  const reference = useQuery('genomeView.reference', genomeId !== null ? { project, genomeId } : null);

  if (settings.error) return <ErrorAlert error={settings.error} />;
  if (settings.data && settings.data.genomeId === null) {
    return (
      <Stack maw={900}>
        <Title order={2}>Genome view</Title>
        <Alert icon={<IconInfoCircle />} title="No genome yet">
          Import a reference genome on the <Anchor href="#/data">Data</Anchor> page; its sequence, your labels and your scans will show here.
        </Alert>
      </Stack>
    );
  }
  if (reference.error) return <ErrorAlert error={reference.error} />;
  if (!reference.data || !settings.data || reference.data.genomeId !== genomeId) {
    return (
      <Center h={300}>
        <Loader aria-label="Loading the genome" />
      </Center>
    );
  }
  return <Viewer key={`${project}:${reference.data.genomeId}`} project={project} reference={reference.data} storedLocus={settings.data.locus} storedTracks={settings.data.tracks} routeLocus={route.locus} />;
}

interface ViewerProps {
  project: string;
  reference: ViewReference;
  storedLocus: string | null;
  storedTracks: TrackSetting[];
  routeLocus: string | undefined;
}

function Viewer({ project, reference, storedLocus, storedTracks, routeLocus }: ViewerProps) {
  const client = useClient();
  const genomeId = reference.genomeId;
  const tracks = useQuery('genomeView.tracks', { project, genomeId });
  const holder = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<IgvSession | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [locus, setLocus] = useState<string>(routeLocus ?? storedLocus ?? reference.chromosomes[0]?.name ?? '');
  const [arrangement, setArrangement] = useState<TrackSetting[]>(storedTracks);
  const [panelOpen, setPanelOpen] = useState(true);
  const [adding, setAdding] = useState(false);
  const [clicked, setClicked] = useState<ClickedFeature | null>(null);
  const [trackErrors, setTrackErrors] = useState<Record<string, string>>({});
  const scans: ScanTrackSource[] = useMemo(() => [], []);

  useEvent('project.changed', (change) => {
    if (change.path === project) tracks.reload();
  });

  // Save the locus a moment after the user stops moving (not on every drag step).
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const saveLocus = useCallback(
    (text: string) => {
      clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(() => {
        client.call('genomeView.settings.set', { project, genomeId, locus: text }).catch(() => undefined);
      }, 800);
    },
    [client, project, genomeId],
  );
  useEffect(() => () => clearTimeout(saveTimer.current), []);

  const readers: Readers = useMemo(
    () => ({
      fileUrl,
      features: async (source, chr, start, end) => {
        const r = await client.call('genomeView.features', { project, source, chrom: chr, start: Math.max(0, Math.floor(start)), end: Math.max(0, Math.ceil(end)) });
        return r.features.map(toIgvFeature);
      },
      calledRegions: async () => [],
    }),
    [client, project],
  );

  // Start igv once per genome.
  const clickRef = useRef<(c: ClickedFeature) => void>(() => undefined);
  clickRef.current = setClicked;
  useEffect(() => {
    const div = holder.current;
    if (!div) return;
    let live = true;
    let made: IgvSession | null = null;
    IgvSession.create(
      div,
      {
        name: reference.name,
        fastaURL: fileUrl(reference.fastaFileId),
        indexURL: fileUrl(reference.indexFileId),
        ...(reference.compressedIndexFileId && { compressedIndexURL: fileUrl(reference.compressedIndexFileId) }),
      },
      routeLocus ?? storedLocus ?? undefined,
      {
        onLocus: ({ text }) => {
          setLocus(text);
          saveLocus(text);
        },
        onClick: (key, rows, position, chr) => clickRef.current({ key, rows, position, chr }),
      },
    ).then(
      (s) => {
        made = s;
        if (live) setSession(s);
        else s.dispose();
      },
      (err: unknown) => live && setStartError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
      made?.dispose();
    };
    // igv starts once per genome (the component is keyed by it); later locus changes go through goto.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A "Show in genome view" link while the page is open.
  useEffect(() => {
    if (session && routeLocus) void session.goto(routeLocus);
  }, [session, routeLocus]);

  const descriptors = useMemo(() => (tracks.data ? describeTracks(tracks.data, scans, readers) : []), [tracks.data, scans, readers]);
  const arranged: ArrangedTrack[] = useMemo(() => arrangeTracks(descriptors, arrangement), [descriptors, arrangement]);

  useEffect(() => {
    if (!session) return;
    const entries = arranged
      .filter((a) => a.visible)
      .map((a) => ({ key: a.descriptor.key, config: a.descriptor.build({ color: a.color, height: a.height }), signature: `${a.descriptor.detail}|${a.color}|${a.height}|${a.descriptor.name}` }));
    void session
      .sync(entries, (key, err) => setTrackErrors((e) => ({ ...e, [key]: err instanceof Error ? err.message : String(err) })))
      .then(() => holder.current?.setAttribute('data-tracks', session.loadedKeys().join(' ')));
  }, [session, arranged]);

  const changeArrangement = (next: ArrangedTrack[]) => {
    const stored = settingsOf(next);
    setArrangement(stored);
    client.call('genomeView.settings.set', { project, genomeId, tracks: stored }).catch((err: unknown) => notifyFailure('Could not keep the track settings', toApiError(err)));
  };

  async function removeFile(id: number) {
    try {
      await client.call('genomeView.removeTrackFile', { project, id });
      tracks.reload();
    } catch (err) {
      notifyFailure('Could not remove the track file', toApiError(err));
    }
  }

  const go = (target: string) => void session?.goto(target);

  return (
    <Stack gap="sm" h="calc(100dvh - 52px - 30px - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap">
          <Title order={2} size="h3">
            Genome view
          </Title>
          {reference.genomes.length > 1 ? (
            <Select
              aria-label="Genome"
              size="xs"
              w={180}
              data={reference.genomes.map((g) => ({ value: String(g.id), label: g.name }))}
              value={String(genomeId)}
              onChange={(v) => v && (window.location.hash = `/genome?genome=${v}`)}
              allowDeselect={false}
            />
          ) : (
            <Text c="dimmed" size="sm">
              {reference.name}
            </Text>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <LocusBox project={project} genomeId={genomeId} locus={locus} onGo={go} />
          <Tooltip label="Zoom out">
            <ActionIcon variant="default" size="lg" aria-label="Zoom out" onClick={() => session?.zoomOut()}>
              <IconZoomOut size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Zoom in">
            <ActionIcon variant="default" size="lg" aria-label="Zoom in" onClick={() => session?.zoomIn()}>
              <IconZoomIn size={18} />
            </ActionIcon>
          </Tooltip>
          <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setAdding(true)}>
            Add track file
          </Button>
          <Tooltip label={panelOpen ? 'Hide the track panel' : 'Show the track panel'}>
            <ActionIcon variant={panelOpen ? 'light' : 'default'} size="lg" aria-label="Track panel" aria-pressed={panelOpen} onClick={() => setPanelOpen((o) => !o)}>
              <IconLayoutSidebarRight size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      {startError && (
        <Alert color="red" title="The genome view could not start">
          {startError}
        </Alert>
      )}
      {tracks.error && <ErrorAlert error={tracks.error} />}

      <Group align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Stack gap="sm" style={{ flex: 1, minWidth: 0, minHeight: 0 }}>
          <Card withBorder padding={0} radius="md" style={{ flex: 1, minHeight: 0, overflow: 'auto', background: 'white' }}>
            {!session && !startError && (
              <Center h={200}>
                <Loader aria-label="Starting the genome view" />
              </Center>
            )}
            <div ref={holder} data-testid="igv-browser" aria-label={`Genome browser: ${reference.name}`} role="region" />
          </Card>
          {clicked && <FeatureDetails project={project} clicked={clicked} arranged={arranged} onClose={() => setClicked(null)} />}
        </Stack>
        {panelOpen && (
          <TrackPanel
            arranged={arranged}
            errors={trackErrors}
            onChange={changeArrangement}
            onRemoveFile={(id) => void removeFile(id)}
            loading={tracks.loading && !tracks.data}
          />
        )}
      </Group>
      {adding && (
        <AddTrackFileModal
          project={project}
          genomeId={genomeId}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            tracks.reload();
          }}
        />
      )}
    </Stack>
  );
}
