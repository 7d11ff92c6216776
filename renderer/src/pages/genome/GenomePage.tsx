// The Genome view: the project's reference in an embedded igv.js, read by byte range, with the
// project's region sets, dataset labels, scan tracks and called regions, and the user's own track
// files beside them. A locus box searches the project's own names; the track panel shows, hides,
// reorders, recolours and resizes tracks; the locus and the panel are kept per genome in the project.
// "Pin for report" keeps the locus in view (with a note) for the run reports to show as an image.
import { ActionIcon, Alert, Anchor, Button, Card, Center, Collapse, Group, Loader, Select, Stack, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronLeft, IconChevronRight, IconChevronUp, IconFileImport, IconInfoCircle, IconBulb, IconDna2, IconLayoutSidebarRight, IconHighlight, IconPin, IconScan, IconZoomIn, IconZoomOut } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TrackSetting, ViewReference } from '../../../../shared/contract/genome-view';
import type { ScanInfo, ScanRegion } from '../../../../shared/contract/scans';
import { toApiError } from '../../../../shared/client';
import { useClient, useEvent, useQuery } from '../../api/context';
import { fileUrl } from '../../api/file-url';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { notifyFailure, notifySuccess } from '../../lib/notify';
import { useProject } from '../../project/context';
import { AddTrackFileModal } from './AddTrackFileModal';
import { FeatureDetails, type ClickedFeature } from './FeatureDetails';
import { IgvSession } from './igv-session';
import { LocusBox } from './LocusBox';
import { parseGenomeRoute } from './route';
import { TrackPanel } from './TrackPanel';
import { arrangeTracks, describeTracks, settingsOf, toIgvFeature, type ArrangedTrack, type InterpretTrackSource, type Readers, type ScanTrackSource } from './tracks';
import { useHashRoute } from './use-hash-route';
import { ScanDialog } from './scans/ScanDialog';
import { ScansList } from './scans/ScansList';
import { ScoreDetails } from './scans/ScoreDetails';
import { useScans } from './scans/use-scans';
import type { Annotation } from '../../../../shared/contract/annotations';
import { AnnotationDialog, type AnnotationDraft } from './annotations/AnnotationDialog';
import { AnnotationsPanel } from './annotations/AnnotationsPanel';
import { SuggestionsPanel } from './suggest/SuggestionsPanel';
import { ANNOTATIONS_KEY, annotationsDescriptor } from './annotations/track';
import type { InterpretKind } from '../../../../shared/contract/interpret';
import { ISM_MAX_BP } from '../../../../shared/contract/interpret';
import { InterpretDialog } from './interpret/InterpretDialog';
import { InterpretList } from './interpret/InterpretList';
import { InterpretResult } from './interpret/InterpretResult';
import { useInterpretations } from './interpret/use-interpretations';
import { PinDialog, PinsPanel, type PinDraft } from './pins/PinsPanel';
import { formatBp } from '../../../../shared/bp';
import { formatLocus } from '../../../../shared/locus';

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
  return (
    <Viewer
      key={`${project}:${reference.data.genomeId}`}
      project={project}
      reference={reference.data}
      storedLocus={settings.data.locus}
      storedTracks={settings.data.tracks}
      routeLocus={route.locus}
      routeScanId={route.scanId}
    />
  );
}

interface ViewerProps {
  project: string;
  reference: ViewReference;
  storedLocus: string | null;
  storedTracks: TrackSetting[];
  routeLocus: string | undefined;
  routeScanId: number | undefined;
}

/** A scan's class of interest whose called regions the next/previous buttons step through. */
const regionKey = (scanId: number, classIndex: number) => `${scanId}:${classIndex}`;

function Viewer({ project, reference, storedLocus, storedTracks, routeLocus, routeScanId }: ViewerProps) {
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
  const [scanning, setScanning] = useState(false);
  const [scansOpen, setScansOpen] = useState(true);
  const [suggestOpen, setSuggestOpen] = useState(false);
  const allScans = useScans(project);
  const genomeScans: ScanInfo[] = useMemo(() => (allScans.data ?? []).filter((s) => s.genomeId === genomeId), [allScans.data, genomeId]);
  const [scans, setScans] = useState<ScanTrackSource[]>([]);
  const [stepper, setStepper] = useState<string | null>(null);
  const [stepped, setStepped] = useState<{ region: ScanRegion | null; label: string } | null>(null);
  // Annotations: bumped on every change so the track, the table and undo/redo read again.
  const [annRevision, setAnnRevision] = useState(0);
  const [draft, setDraft] = useState<AnnotationDraft | null>(null);
  const [annotationsOpen, setAnnotationsOpen] = useState(true);
  const annClasses = useQuery('annotations.classes', { project, genomeId }, `${genomeId} ${annRevision}`);
  const history = useQuery('annotations.history', { project, genomeId, limit: 1 }, `${genomeId} ${annRevision}`);
  // Interpretation: the dialog (ISM of a region, or variant effects), the run opened under the view,
  // and igv's locus as numbers so the ISM heatmap follows it.
  const [interpreting, setInterpreting] = useState<{ kind: InterpretKind; region?: { chrom: string; start: number; end: number } } | null>(null);
  const [openedId, setOpenedId] = useState<number | null>(null);
  const [interpretOpen, setInterpretOpen] = useState(true);
  const [range, setRange] = useState<{ chr: string; start: number; end: number } | undefined>(undefined);
  const allInterpretations = useInterpretations(project);
  const interpretations = useMemo(() => (allInterpretations.data ?? []).filter((r) => r.genomeId === genomeId), [allInterpretations.data, genomeId]);
  const opened = interpretations.find((r) => r.id === openedId && r.state === 'done');
  const [interpretTracks, setInterpretTracks] = useState<InterpretTrackSource[]>([]);
  // Loci pinned for reports.
  const pins = useQuery('genomeView.pins.list', { project, genomeId });
  const [pinning, setPinning] = useState<PinDraft | null>(null);
  const [pinsOpen, setPinsOpen] = useState(true);

  // Each finished scan's score track per class of interest, registered for byte-range reads.
  const doneKey = JSON.stringify(genomeScans.filter((s) => s.state === 'done').map((s) => [s.id, s.thresholds.map((t) => [t.classIndex, t.threshold])]));
  useEffect(() => {
    let live = true;
    const done = genomeScans.filter((s) => s.state === 'done');
    Promise.all(
      done.flatMap((s) =>
        s.thresholds.map(async (t): Promise<ScanTrackSource> => {
          const tr = await client.call('scans.track', { project, scanId: s.id, classIndex: t.classIndex });
          return { scanId: s.id, classIndex: t.classIndex, className: t.className, scanName: s.name, fileId: tr.fileId, threshold: t.threshold };
        }),
      ),
    ).then(
      (list) => live && setScans(list),
      (err: unknown) => live && notifyFailure('Could not open the scan tracks', toApiError(err)),
    );
    return () => {
      live = false;
    };
    // doneKey stands for genomeScans' finished scans and thresholds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, project, doneKey]);

  // Each finished interpretation's bedGraph, served by file id as the scan tracks are.
  const interpretDoneKey = interpretations
    .filter((r) => r.state === 'done')
    .map((r) => r.id)
    .join(',');
  useEffect(() => {
    let live = true;
    const done = interpretations.filter((r) => r.state === 'done');
    Promise.all(
      done.map(async (r): Promise<InterpretTrackSource> => {
        const t = await client.call('interpret.track', { project, id: r.id });
        return { id: r.id, kind: r.kind, name: r.name, fileId: t.fileId, bound: t.max };
      }),
    ).then(
      (list) => live && setInterpretTracks(list),
      (err: unknown) => live && notifyFailure('Could not open the interpretation tracks', toApiError(err)),
    );
    return () => {
      live = false;
    };
    // interpretDoneKey stands for the finished interpretations.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, project, interpretDoneKey]);

  useEvent('project.changed', (change) => {
    if (change.path !== project) return;
    if (change.what === 'interpretations') return;
    if (change.what === 'annotations') setAnnRevision((r) => r + 1);
    else if (change.what === 'pins') pins.reload();
    else tracks.reload();
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
      annotations: async (chr, start, end) => (await client.call('annotations.list', { project, genomeId, chrom: chr, start: Math.max(0, Math.floor(start)), end: Math.max(0, Math.ceil(end)), limit: 20_000 })).annotations,
      calledRegions: async (scanId, classIndex, chr, start, end) => {
        const r = await client.call('scans.regions', { project, scanId, classIndex, chrom: chr, start: Math.max(0, Math.floor(start)), end: Math.max(0, Math.ceil(end)), limit: 20_000 });
        return r.regions.map((g) => ({ chr: g.chrom, start: g.start, end: g.end, name: `max ${g.maxScore.toFixed(2)}`, score: g.maxScore, maxScore: g.maxScore, meanScore: g.meanScore }));
      },
    }),
    [client, project, genomeId],
  );

  // A click on the annotations track edits the annotation under it; elsewhere it shows details.
  const clickRef = useRef<(c: ClickedFeature) => void>(() => undefined);
  clickRef.current = (c: ClickedFeature) => {
    if (c.key === ANNOTATIONS_KEY && c.chr !== undefined && c.position !== undefined) {
      client.call('annotations.list', { project, genomeId, chrom: c.chr, start: c.position, end: c.position + 1, limit: 1 }).then(
        (r) => r.annotations[0] && setDraft(draftOf(r.annotations[0])),
        (err: unknown) => notifyFailure('Could not read the annotation', toApiError(err)),
      );
      return;
    }
    setClicked(c);
  };
  const selectRef = useRef<(r: { chr: string; start: number; end: number }) => void>(() => undefined);
  selectRef.current = (r) => r.end > r.start && setDraft({ chrom: r.chr, start: r.start, end: r.end, source: 'manual' });

  // Start igv once per genome.
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
        onLocus: ({ text, chr, start, end }) => {
          setLocus(text);
          setRange({ chr, start, end });
          saveLocus(text);
        },
        onClick: (key, rows, position, chr) => clickRef.current({ key, rows, position, chr }),
        onRegionSelected: (r) => selectRef.current(r),
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

  // Which called regions the next/previous buttons step through: the linked scan's, else the first.
  const linked = scans.find((s) => s.scanId === routeScanId) ?? scans[0];
  const stepperKey = stepper ?? (linked ? regionKey(linked.scanId, linked.classIndex) : null);
  const stepSource = scans.find((s) => regionKey(s.scanId, s.classIndex) === stepperKey);

  async function step(direction: 'next' | 'previous', from?: { chrom: string; position: number }) {
    if (!session || !stepSource) return;
    const range = session.currentRange();
    // From the region last stepped to while it is still in view (its padding may be cut at a
    // chromosome's start, so the view's middle need not lie in it); else from the view's middle.
    const shown = stepped?.region && range && stepped.region.chrom === range.chr && stepped.region.start < range.end && stepped.region.end > range.start ? stepped.region : null;
    const middle = range ? Math.floor((range.start + range.end) / 2) : 0;
    const at = from ?? (shown ? { chrom: shown.chrom, position: direction === 'next' ? shown.end - 1 : shown.start } : range ? { chrom: range.chr, position: middle } : undefined);
    if (!at) return;
    try {
      const region = await client.call('scans.nextRegion', { project, scanId: stepSource.scanId, classIndex: stepSource.classIndex, chrom: at.chrom, position: at.position, direction });
      if (!region) {
        setStepped({ region: null, label: `No called region of ${stepSource.className} ${direction === 'next' ? 'after' : 'before'} ${at.chrom}:${(at.position + 1).toLocaleString('en-US')}` });
        return;
      }
      setStepped({ region, label: `${stepSource.className} region ${formatLocus({ chrom: region.chrom, start: region.start, end: region.end })} · ${formatBp(region.end - region.start)} · max ${region.maxScore.toFixed(2)} · mean ${region.meanScore.toFixed(2)}` });
      // Some room either side, so the region's edges show.
      const pad = Math.max(50, Math.round((region.end - region.start) * 0.5));
      await session.goto(`${region.chrom}:${Math.max(1, region.start + 1 - pad)}-${region.end + pad}`);
    } catch (err) {
      notifyFailure('Could not find the next region', toApiError(err));
    }
  }

  // "Show in genome view" of a scan with no locus: its first called region.
  const jumped = useRef(false);
  useEffect(() => {
    if (jumped.current || !session || routeLocus || routeScanId === undefined || !stepSource || stepSource.scanId !== routeScanId) return;
    jumped.current = true;
    const first = reference.chromosomes[0];
    if (first) void step('next', { chrom: first.name, position: 0 });
    // step reads the latest session and source; run once per link.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, routeLocus, routeScanId, stepSource]);

  const annCount = annClasses.data?.classes.reduce((n, c) => n + c.count, 0) ?? 0;
  const descriptors = useMemo(
    () => (tracks.data ? [annotationsDescriptor(annCount, annClasses.data?.classes ?? [], annRevision, readers.annotations), ...describeTracks(tracks.data, scans, readers, interpretTracks)] : []),
    [tracks.data, scans, readers, annCount, annClasses.data, annRevision, interpretTracks],
  );

  const undoRedo = useCallback(
    (direction: 'undo' | 'redo') => {
      client.call(`annotations.${direction}`, { project, genomeId }).then(
        (r) => r.change && notifySuccess(direction === 'undo' ? 'Undone' : 'Redone', r.change.description),
        (err: unknown) => notifyFailure(`Could not ${direction}`, toApiError(err)),
      );
    },
    [client, project, genomeId],
  );
  // Ctrl+Z / Ctrl+Shift+Z (Cmd on macOS) undo and redo annotation changes, except while typing or in a dialog.
  const dialogOpen = draft !== null || scanning || adding || interpreting !== null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen || !(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      undoRedo(e.shiftKey ? 'redo' : 'undo');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogOpen, undoRedo]);

  /** The bounds of the called region or feature under a click (else the clicked base), as an annotation draft. */
  async function clickedBounds(c: ClickedFeature): Promise<AnnotationDraft | null> {
    if (!c.key || c.chr === undefined || c.position === undefined) return null;
    const at = { chrom: c.chr, start: c.position, end: c.position + 1 };
    const called = /^regions:(\d+):(\d+)$/.exec(c.key);
    if (called) {
      const r = await client.call('scans.regions', { project, scanId: Number(called[1]), classIndex: Number(called[2]), ...at, limit: 1 });
      const g = r.regions[0];
      const cls = genomeScans.find((s) => s.id === Number(called[1]))?.classes[Number(called[2])];
      if (g) return { chrom: g.chrom, start: g.start, end: g.end, source: 'scan', scanId: Number(called[1]), ...(cls && { label: cls }) };
    }
    const feature = /^(regionSet|dataset):(\d+)$/.exec(c.key);
    if (feature) {
      const r = await client.call('genomeView.features', { project, source: { kind: feature[1] as 'regionSet', id: Number(feature[2]) }, ...at, limit: 1 });
      const f = r.features[0];
      if (f) return { chrom: f.chrom, start: f.start, end: f.end, source: 'region', ...(f.label && { label: f.label }) };
    }
    return { ...at, source: 'manual' };
  }

  /** "Annotate this" / "Explain this": the called region or feature under a click. */
  async function actOnClicked(c: ClickedFeature, action: 'annotate' | 'explain') {
    try {
      const b = await clickedBounds(c);
      if (!b) return;
      if (action === 'annotate') setDraft(b);
      else setInterpreting({ kind: 'ism', region: ismRegion(b) });
    } catch (err) {
      notifyFailure('Could not read the region', toApiError(err));
    }
  }
  
  const arranged: ArrangedTrack[] = useMemo(() => arrangeTracks(descriptors, arrangement), [descriptors, arrangement]);

  useEffect(() => {
    if (!session) return;
    const entries = arranged
      .filter((a) => a.visible)
      .map((a) => ({ key: a.descriptor.key, config: a.descriptor.build({ color: a.color, height: a.height }), signature: `${a.descriptor.detail}|${a.color}|${a.height}|${a.descriptor.name}|${a.descriptor.revision ?? ''}` }));
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
        <Group gap="xs" wrap="wrap" justify="flex-end">
          <LocusBox project={project} genomeId={genomeId} locus={locus} onGo={go} />
          <Tooltip label="Keep this locus (with a note) for run reports: they show it as an image of this view">
            <Button
              variant="default"
              leftSection={<IconPin size={16} />}
              disabled={!session}
              onClick={() => {
                const r = session?.currentRange();
                const length = reference.chromosomes.find((c) => c.name === r?.chr)?.length;
                if (!r || length === undefined) return;
                // igv may draw past a sequence's end; a pin stays on it.
                const end = Math.min(r.end, length);
                setPinning({ chrom: r.chr, start: Math.min(r.start, end - 1), end });
              }}
            >
              Pin for report
            </Button>
          </Tooltip>
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
          <Tooltip label="Annotate the region in view (or Shift-drag on the ruler to select one)">
            <Button
              variant="default"
              leftSection={<IconHighlight size={16} />}
              onClick={() => {
                const r = session?.currentRange();
                if (r) setDraft({ chrom: r.chr, start: r.start, end: r.end, source: 'manual' });
              }}
            >
              Annotate region
            </Button>
          </Tooltip>
          <Button leftSection={<IconScan size={16} />} onClick={() => setScanning(true)}>
            Scan genome
          </Button>
          <Tooltip label="In-silico mutagenesis of the region in view (up to 10 kb): which bases drive the score">
            <Button
              variant="default"
              leftSection={<IconBulb size={16} />}
              onClick={() => {
                const r = session?.currentRange();
                setInterpreting({ kind: 'ism', ...(r && { region: ismRegion({ chrom: r.chr, start: r.start, end: r.end }) }) });
              }}
            >
              Explain region
            </Button>
          </Tooltip>
          <Button variant="default" leftSection={<IconDna2 size={16} />} onClick={() => setInterpreting({ kind: 'variants' })}>
            Variant effects
          </Button>
          <Tooltip label={panelOpen ? 'Hide the track panel' : 'Show the track panel'}>
            <ActionIcon variant={panelOpen ? 'light' : 'default'} size="lg" aria-label="Track panel" aria-pressed={panelOpen} onClick={() => setPanelOpen((o) => !o)}>
              <IconLayoutSidebarRight size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      {scans.length > 0 && (
        <Group gap="xs" wrap="nowrap" aria-label="Called regions">
          <Select
            size="xs"
            w={360}
            aria-label="Called regions of"
            data={scans.map((s) => ({ value: regionKey(s.scanId, s.classIndex), label: `${s.scanName} · ${s.className} (≥ ${s.threshold.toFixed(2)})` }))}
            value={stepperKey}
            onChange={setStepper}
            allowDeselect={false}
          />
          <Button size="xs" variant="default" leftSection={<IconChevronLeft size={14} />} onClick={() => void step('previous')}>
            Previous region
          </Button>
          <Button size="xs" variant="default" rightSection={<IconChevronRight size={14} />} onClick={() => void step('next')}>
            Next region
          </Button>
          {stepped && (
            <Text size="xs" c="dimmed" ff="monospace" truncate data-testid="stepped-region">
              {stepped.label}
            </Text>
          )}
        </Group>
      )}

      {startError && (
        <Alert color="red" title="The genome view could not start">
          {startError}
        </Alert>
      )}
      {tracks.error && <ErrorAlert error={tracks.error} />}

      <Group align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        {/* The panels under the view scroll with it rather than squeeze igv below a usable height. */}
        <Stack gap="sm" style={{ flex: 1, minWidth: 0, minHeight: 0, overflowY: 'auto' }}>
          <Card withBorder padding={0} radius="md" style={{ flex: 1, minHeight: 360, flexShrink: 0, overflow: 'auto', background: 'white' }}>
            {!session && !startError && (
              <Center h={200}>
                <Loader aria-label="Starting the genome view" />
              </Center>
            )}
            {/* Its own stacking context: igv gives its drag handles and popovers z-indices up to 2048,
                which would otherwise draw over the app's dialogs (Mantine's modals sit at 200). */}
            <div ref={holder} data-testid="igv-browser" aria-label={`Genome browser: ${reference.name}`} role="region" style={{ isolation: 'isolate' }} />
          </Card>
          {clicked && (
            <FeatureDetails
              project={project}
              clicked={clicked}
              arranged={arranged}
              onClose={() => setClicked(null)}
              extra={
                <>
                  {clicked.key && clicked.key !== ANNOTATIONS_KEY && clicked.position !== undefined && (
                    <Group gap={4} mb={4}>
                      <Button size="compact-xs" variant="light" leftSection={<IconHighlight size={14} />} onClick={() => void actOnClicked(clicked, 'annotate')}>
                        Annotate this
                      </Button>
                      <Button size="compact-xs" variant="light" leftSection={<IconBulb size={14} />} onClick={() => void actOnClicked(clicked, 'explain')}>
                        Explain this
                      </Button>
                    </Group>
                  )}
                  <ScoreDetails project={project} clicked={clicked} scans={genomeScans} />
                </>
              }
            />
          )}
          <Card withBorder radius="md" padding="sm" component="section" aria-label="Pinned loci panel" style={{ flexShrink: 0 }}>
            <UnstyledButton onClick={() => setPinsOpen((o) => !o)} aria-expanded={pinsOpen}>
              <Group gap={6}>
                {pinsOpen ? <IconChevronDown size={16} /> : <IconChevronUp size={16} />}
                <Title order={3} size="h5">
                  Pinned for reports{pins.data?.length ? ` (${pins.data.length})` : ''}
                </Title>
              </Group>
            </UnstyledButton>
            <Collapse expanded={pinsOpen}>
              <div style={{ maxHeight: 240, overflow: 'auto', marginTop: 8 }}>
                {pins.error ? <ErrorAlert error={pins.error} /> : <PinsPanel project={project} pins={pins.data ?? []} onGo={(p) => go(`${p.chrom}:${p.start + 1}-${p.end}`)} onRemoved={pins.reload} />}
              </div>
            </Collapse>
          </Card>
          <Card withBorder radius="md" padding="sm" component="section" aria-label="Annotations panel" style={{ flexShrink: 0 }}>
            <UnstyledButton onClick={() => setAnnotationsOpen((o) => !o)} aria-expanded={annotationsOpen}>
              <Group gap={6}>
                {annotationsOpen ? <IconChevronDown size={16} /> : <IconChevronUp size={16} />}
                <Title order={3} size="h5">
                  Annotations{annCount ? ` (${annCount.toLocaleString('en-US')})` : ''}
                </Title>
              </Group>
            </UnstyledButton>
            <Collapse expanded={annotationsOpen}>
              <div style={{ maxHeight: 320, overflow: 'auto', marginTop: 8 }}>
                <AnnotationsPanel
                  project={project}
                  genomeId={genomeId}
                  chromosomes={reference.chromosomes}
                  classes={annClasses.data?.classes ?? []}
                  undo={history.data?.state}
                  revision={annRevision}
                  onJump={(a) => {
                    const pad = Math.max(20, Math.round((a.end - a.start) * 0.25));
                    go(`${a.chrom}:${Math.max(1, a.start + 1 - pad)}-${a.end + pad}`);
                  }}
                  onEdit={(a) => setDraft(draftOf(a))}
                  onUndo={() => undoRedo('undo')}
                  onRedo={() => undoRedo('redo')}
                />
              </div>
            </Collapse>
          </Card>
          <Card withBorder radius="md" padding="sm" component="section" aria-label="Interpretations panel" style={{ flexShrink: 0 }}>
            <UnstyledButton onClick={() => setInterpretOpen((o) => !o)} aria-expanded={interpretOpen}>
              <Group gap={6}>
                {interpretOpen ? <IconChevronDown size={16} /> : <IconChevronUp size={16} />}
                <Title order={3} size="h5">
                  Interpretations{interpretations.length ? ` (${interpretations.length})` : ''}
                </Title>
              </Group>
            </UnstyledButton>
            <Collapse expanded={interpretOpen}>
              <Stack gap="sm" mt={8}>
                {opened && <InterpretResult key={opened.id} project={project} run={opened} range={range} go={go} onClose={() => setOpenedId(null)} />}
                <div style={{ maxHeight: 240, overflow: 'auto' }}>
                  {allInterpretations.error ? (
                    <ErrorAlert error={allInterpretations.error} />
                  ) : (
                    <InterpretList
                      project={project}
                      runs={interpretations}
                      progress={allInterpretations.progress}
                      openedId={opened?.id ?? null}
                      onOpen={(r) => {
                        setOpenedId(r.id);
                        if (r.region) go(`${r.region.chrom}:${r.region.start + 1}-${r.region.end}`);
                      }}
                      onRemoved={(id) => {
                        if (id === openedId) setOpenedId(null);
                        allInterpretations.reload();
                      }}
                    />
                  )}
                </div>
              </Stack>
            </Collapse>
          </Card>
          {genomeScans.some((s) => s.state === 'done') && (
            <Card withBorder radius="md" padding="sm" component="section" aria-label="Where to annotate" style={{ flexShrink: 0 }}>
              <UnstyledButton onClick={() => setSuggestOpen((o) => !o)} aria-expanded={suggestOpen}>
                <Group gap={6}>
                  {suggestOpen ? <IconChevronDown size={16} /> : <IconChevronUp size={16} />}
                  <Title order={3} size="h5">
                    Where to annotate
                  </Title>
                </Group>
              </UnstyledButton>
              <Collapse expanded={suggestOpen}>
                <div style={{ maxHeight: 280, overflow: 'auto', marginTop: 8 }}>
                  {suggestOpen && <SuggestionsPanel project={project} scans={genomeScans} onJump={(r) => go(`${r.chrom}:${r.start + 1}-${r.end}`)} />}
                </div>
              </Collapse>
            </Card>
          )}
          <Card withBorder radius="md" padding="sm" component="section" aria-label="Scans" style={{ flexShrink: 0 }}>
            <Group justify="space-between">
              <UnstyledButton onClick={() => setScansOpen((o) => !o)} aria-expanded={scansOpen}>
                <Group gap={6}>
                  {scansOpen ? <IconChevronDown size={16} /> : <IconChevronUp size={16} />}
                  <Title order={3} size="h5">
                    Scans{genomeScans.length ? ` (${genomeScans.length})` : ''}
                  </Title>
                </Group>
              </UnstyledButton>
            </Group>
            <Collapse expanded={scansOpen}>
              <div style={{ maxHeight: 240, overflow: 'auto', marginTop: 8 }}>
                {allScans.error ? <ErrorAlert error={allScans.error} /> : <ScansList project={project} scans={genomeScans} progress={allScans.progress} onChanged={allScans.reload} />}
              </div>
            </Collapse>
          </Card>
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
      {scanning && (
        <ScanDialog
          project={project}
          genomeId={genomeId}
          {...(session?.currentRange() && { region: { chrom: session.currentRange()!.chr, start: session.currentRange()!.start, end: session.currentRange()!.end } })}
          onClose={() => setScanning(false)}
          onStarted={() => allScans.reload()}
        />
      )}
      {interpreting && (
        <InterpretDialog
          project={project}
          genomeId={genomeId}
          kind={interpreting.kind}
          {...(interpreting.region && { region: interpreting.region })}
          chromosomes={reference.chromosomes}
          onClose={() => setInterpreting(null)}
          onOpen={(id) => {
            setOpenedId(id);
            setInterpretOpen(true);
            const r = interpretations.find((x) => x.id === id)?.region ?? (interpreting.kind === 'ism' ? interpreting.region : undefined);
            if (r) go(`${r.chrom}:${r.start + 1}-${r.end}`);
          }}
        />
      )}
      {draft && (
        <AnnotationDialog
          project={project}
          genomeId={genomeId}
          draft={draft}
          classes={annClasses.data?.classes ?? []}
          chromLength={reference.chromosomes.find((c) => c.name === draft.chrom)?.length}
          onClose={() => {
            setDraft(null);
            session?.clearSelection();
          }}
          onSaved={() => {
            setDraft(null);
            session?.clearSelection();
          }}
        />
      )}
      {pinning && (
        <PinDialog
          project={project}
          genomeId={genomeId}
          draft={pinning}
          onClose={() => setPinning(null)}
          onPinned={() => {
            setPinning(null);
            setPinsOpen(true);
            pins.reload();
          }}
        />
      )}
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

/** A region ISM can take: at most ISM_MAX_BP, around the middle of a longer one. */
function ismRegion(r: { chrom: string; start: number; end: number }): { chrom: string; start: number; end: number } {
  if (r.end - r.start <= ISM_MAX_BP) return { chrom: r.chrom, start: r.start, end: r.end };
  const start = Math.floor((r.start + r.end - ISM_MAX_BP) / 2);
  return { chrom: r.chrom, start, end: start + ISM_MAX_BP };
}

const draftOf = (a: Annotation): AnnotationDraft => ({ id: a.id, chrom: a.chrom, start: a.start, end: a.end, label: a.label, note: a.note });
