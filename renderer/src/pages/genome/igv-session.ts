// One igv.js browser in a div, kept in step with the track list the page wants. igv.js has no
// update API for a track, so a track whose configuration changed is removed and loaded again
// (removeTrack + loadTrack); order is igv's `order` field. igv.js is imported lazily (1.5 MB) so
// only a visit to this page loads it.
//
// Offline: `loadDefaultGenomes: false` (else it fetches igv.org/genomes/genomes3.json), `search`
// off (names are searched by genomeView.search, never igv.org/genomes/locus.php), the reference
// from our own file ids, and the menus' "BLAT" items (igv.org/services/blatUCSC.php) taken out.
// The CSP's connect-src is the backstop: nothing but our origin can be fetched.
import type { Browser, CreateOpt, IGV, TrackLoad, TrackType, Tracks } from 'igv';

export interface TrackEntry {
  key: string;
  /** Everything igv needs, in display order; `order` is set by the session. */
  config: TrackLoad<TrackType>;
  /** Changes when the track must be reloaded (its data or look changed). */
  signature: string;
}

/** What the page hears from igv. */
export interface SessionEvents {
  onLocus: (locus: { chr: string; start: number; end: number; text: string }) => void;
  /** A click on a track: the track's key (undefined for igv's own tracks), igv's popup rows, the genomic position (0-based). */
  onClick: (key: string | undefined, rows: { name?: string; value?: unknown }[], position: number | undefined, chr: string | undefined) => void;
  /** A region selected with Shift-drag on the ruler (igv's user-defined region of interest), 0-based half-open. */
  onRegionSelected?: (region: { chr: string; start: number; end: number }) => void;
}

/** igv internals used here (not in igv.d.ts): reorderTracks re-sorts the track views by `order`. */
interface BrowserInternals {
  reorderTracks?: () => void;
  referenceFrameList?: { chr: string; start: number; end: number }[];
}

let igvModule: Promise<IGV> | undefined;
function loadIgv(): Promise<IGV> {
  igvModule ??= import('igv').then((m) => m.default);
  return igvModule;
}

/** Removes igv's "BLAT ..." menu items (they post the sequence to igv.org) as igv adds them to its shadow DOM. */
function stripBlat(root: ParentNode): MutationObserver {
  const strip = () => {
    for (const el of root.querySelectorAll<HTMLElement>('.igv-menu-popup-item, .igv-popover-menu-item, div')) {
      if (el.childElementCount === 0 && /^\s*BLAT\b/i.test(el.textContent ?? '')) el.remove();
    }
  };
  const obs = new MutationObserver(strip);
  obs.observe(root as Node, { childList: true, subtree: true });
  return obs;
}

export class IgvSession {
  private browser: Browser | undefined;
  private readonly loaded = new Map<string, { track: Tracks.Track; signature: string }>();
  private observer: MutationObserver | undefined;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  static async create(div: HTMLElement, reference: { fastaURL: string; indexURL: string; compressedIndexURL?: string; name: string }, locus: string | undefined, events: SessionEvents): Promise<IgvSession> {
    const igv = await loadIgv();
    const options = {
      reference: { id: `loci-${reference.name}`, name: reference.name, fastaURL: reference.fastaURL, indexURL: reference.indexURL, ...(reference.compressedIndexURL && { compressedIndexURL: reference.compressedIndexURL }), wholeGenomeView: false },
      ...(locus && { locus }),
      loadDefaultGenomes: false,
      search: false,
      showNavigation: false,
      showSVGButton: false,
      showCircularViewButton: false,
      showTrackLabels: true,
      showCenterGuideButton: false,
      showCursorTrackingGuideButton: false,
      tracks: [],
    } as unknown as CreateOpt;
    const browser = await igv.createBrowser(div, options);
    const session = new IgvSession();
    session.browser = browser;
    // igv attaches an open shadow root to the div it is given and draws everything inside it.
    session.observer = stripBlat(div.shadowRoot ?? div);
    browser.on('locuschange', ((loci: { chr: string; start: number; end: number; getLocusString: () => string }[]) => {
      const l = loci[0];
      if (l) events.onLocus({ chr: l.chr, start: Math.max(0, Math.floor(l.start)), end: Math.ceil(l.end), text: l.getLocusString() });
    }) as never);
    browser.on('trackclick', ((track: Tracks.Track & { config?: { lociKey?: string } }, rows: { name?: string; value?: unknown }[] | undefined, position: number | undefined) => {
      const key = track.config?.lociKey;
      if (key === undefined) return true; // igv's own tracks (sequence, ruler): its default popup
      events.onClick(key, rows ?? [], position === undefined ? undefined : Math.floor(position), session.currentChrom());
      return false; // the page shows the details in its own panel
    }) as never);
    // Shift-drag on the ruler makes an igv region of interest; the page turns it into an annotation
    // (the ROI is only the selection: clearSelection() removes it once the dialog closes).
    browser.on('roiadded' as never, ((roi: { chr: string; start: number; end: number }) => {
      events.onRegionSelected?.({ chr: roi.chr, start: Math.max(0, Math.floor(roi.start)), end: Math.ceil(roi.end) });
    }) as never);
    return session;
  }

  /** Removes the regions of interest (the selection drawn by Shift-drag). */
  clearSelection(): void {
    this.browser?.clearROIs();
  }

  get igvBrowser(): Browser | undefined {
    return this.browser;
  }

  currentChrom(): string | undefined {
    return (this.browser as unknown as BrowserInternals | undefined)?.referenceFrameList?.[0]?.chr;
  }

  /** The visible range, 0-based half-open. */
  currentRange(): { chr: string; start: number; end: number } | undefined {
    const frame = (this.browser as unknown as BrowserInternals | undefined)?.referenceFrameList?.[0];
    if (!frame) return undefined;
    return { chr: frame.chr, start: Math.max(0, Math.floor(frame.start)), end: Math.ceil(frame.end) };
  }

  async goto(locus: string): Promise<void> {
    await this.browser?.search(locus);
  }

  zoomIn(): void {
    this.browser?.zoomIn();
  }

  zoomOut(): void {
    this.browser?.zoomOut();
  }

  /** Keys of the tracks igv has drawn (for tests and the track panel's status). */
  loadedKeys(): string[] {
    return [...this.loaded.keys()];
  }

  /** Bring igv's tracks in line with `entries` (in display order). Calls are serialised. */
  sync(entries: readonly TrackEntry[], onError: (key: string, err: unknown) => void): Promise<void> {
    this.queue = this.queue.then(() => this.doSync(entries, onError));
    return this.queue;
  }

  private async doSync(entries: readonly TrackEntry[], onError: (key: string, err: unknown) => void): Promise<void> {
    const browser = this.browser;
    if (!browser || this.disposed) return;
    const wanted = new Map(entries.map((e) => [e.key, e]));
    for (const [key, { track, signature }] of [...this.loaded]) {
      if (wanted.get(key)?.signature !== signature) {
        browser.removeTrack(track);
        this.loaded.delete(key);
      }
    }
    const order = new Map(entries.map((e, i) => [e.key, i + 1]));
    await Promise.all(
      entries
        .filter((e) => !this.loaded.has(e.key))
        .map(async (e) => {
          try {
            const track = await browser.loadTrack({ ...e.config, order: order.get(e.key), lociKey: e.key } as unknown as TrackLoad<TrackType>);
            if (this.disposed) return;
            this.loaded.set(e.key, { track, signature: e.signature });
          } catch (err) {
            onError(e.key, err);
          }
        }),
    );
    for (const [key, { track }] of this.loaded) (track as Tracks.Track & { order?: number }).order = order.get(key) ?? 0;
    (browser as unknown as BrowserInternals).reorderTracks?.();
  }

  dispose(): void {
    this.disposed = true;
    this.observer?.disconnect();
    const browser = this.browser;
    this.browser = undefined;
    this.loaded.clear();
    if (browser) void loadIgv().then((igv) => igv.removeBrowser(browser));
  }
}
