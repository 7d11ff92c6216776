// The ISM table as a heatmap under the genome view: rows A C G T, one column per position of the
// part of the region in view, coloured by the change in the class probability when the base is
// changed to that row's base (blue: the score drops, red: it rises; one scale for the whole table),
// the reference base marked. Hover names position, base and change; the wheel zooms, Shift+wheel
// or a drag pans, the slider scrolls; every move is reported so the igv view follows (and igv's
// moves come back as `view`). A canvas: 10,000 positions x 4 rows is too many DOM cells.
import { ActionIcon, Box, Group, Slider, Stack, Text, Tooltip } from '@mantine/core';
import { IconZoomIn, IconZoomOut, IconZoomReset } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { IsmTable } from '../../../../../shared/contract/interpret';
import { BASES, clampView, columnPositions, divergingColor, panView, scaleBound, strongest, zoomView, type Span } from './heatmap';
import { formatBp } from '../../../../../shared/bp';

const ROW = 22;
const AXIS = 16;
const HEIGHT = AXIS + 4 * ROW;

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toPrecision(3)}`);

interface Props {
  table: IsmTable;
  view: Span;
  onView: (view: Span) => void;
}

export function IsmHeatmap({ table, view: wanted, onView }: Props) {
  const region = { start: table.start, end: table.end };
  const view = clampView(wanted, region);
  const holder = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<{ pos: number; row: number } | null>(null);
  const drag = useRef<{ x: number; view: Span } | null>(null);
  const bound = scaleBound(table.deltaCombined);

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const obs = new ResizeObserver(() => setWidth(Math.max(100, Math.floor(el.clientWidth))));
    obs.observe(el);
    return () => obs.disconnect();
  }, []);

  const n = view.end - view.start;
  const pxPerBase = width / n;

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(HEIGHT * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    // One column per base when there is room, else one per pixel showing the strongest change under it.
    const cols = pxPerBase >= 1 ? Array.from({ length: n }, (_, i) => ({ from: view.start - table.start + i, to: view.start - table.start + i + 1, x: i * pxPerBase, w: pxPerBase })) : columnPositions(view, table.start, width).map((p, x) => ({ ...p, x, w: 1 }));
    for (const col of cols) {
      for (let row = 0; row < 4; row++) {
        const [r, g, b] = divergingColor(strongest(table.deltaCombined, row, col.from, col.to), bound);
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(col.x, AXIS + row * ROW, Math.ceil(col.w), ROW);
      }
      // The reference base: its letter when a column is wide enough, else a dark mark in its cell.
      if (col.to - col.from === 1 && pxPerBase >= 3) {
        const row = BASES.indexOf(table.refBases[col.from]?.toUpperCase() as (typeof BASES)[number]);
        if (row >= 0) {
          ctx.fillStyle = '#212529';
          if (pxPerBase >= 11) {
            ctx.font = '11px monospace';
            ctx.textAlign = 'center';
            ctx.textBaseline = 'middle';
            ctx.fillText(BASES[row]!, col.x + col.w / 2, AXIS + row * ROW + ROW / 2);
          } else {
            const s = Math.max(2, Math.min(5, col.w - 1));
            ctx.fillRect(col.x + (col.w - s) / 2, AXIS + row * ROW + (ROW - s) / 2, s, s);
          }
        }
      }
    }
    // Position ticks (1-based, as igv shows them).
    ctx.fillStyle = '#495057';
    ctx.font = '10px sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    const step = niceStep(n / Math.max(1, width / 90));
    for (let p = Math.ceil((view.start + 1) / step) * step; p <= view.end; p += step) {
      const x = (p - 1 - view.start + 0.5) * pxPerBase;
      ctx.fillRect(x, AXIS - 4, 1, 4);
      ctx.fillText(p.toLocaleString('en-US'), Math.min(width - 40, x + 2), 1);
    }
    if (hover && hover.pos >= view.start && hover.pos < view.end) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1;
      ctx.strokeRect((hover.pos - view.start) * pxPerBase + 0.5, AXIS + hover.row * ROW + 0.5, Math.max(1, pxPerBase) - 1, ROW - 1);
    }
    c.dataset.view = `${view.start}-${view.end}`;
    // view is a new object each render; its bounds are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, view.start, view.end, width, bound, hover]);

  const at = (e: { clientX: number; clientY: number }) => {
    const rect = canvas.current!.getBoundingClientRect();
    const pos = view.start + Math.min(n - 1, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * n)));
    const row = Math.floor((e.clientY - rect.top - AXIS) / ROW);
    return { pos, row: row >= 0 && row < 4 ? row : -1 };
  };

  const i = hover ? hover.pos - table.start : -1;
  const ref = i >= 0 ? (table.refBases[i] ?? 'N').toUpperCase() : '';
  const hoverText = hover
    ? hover.row < 0
      ? `${table.chrom}:${(hover.pos + 1).toLocaleString('en-US')} · reference ${ref} · importance ${fmt(table.importance[i])}`
      : BASES[hover.row] === ref
        ? `${table.chrom}:${(hover.pos + 1).toLocaleString('en-US')} · ${ref} is the reference base · reference probability ${fmt(avg(table.refForward[i], table.refReverse[i]))}`
        : `${table.chrom}:${(hover.pos + 1).toLocaleString('en-US')} · ${ref}→${BASES[hover.row]} · Δ ${fmt(table.deltaCombined[i * 4 + hover.row])} (forward ${fmt(table.deltaForward[i * 4 + hover.row])}, reverse ${fmt(table.deltaReverse[i * 4 + hover.row])})`
    : pxPerBase >= 3
      ? 'Hover over a cell for its change; the reference base of each position is marked.'
      : 'Zoomed out: each column shows the strongest change under it; zoom in to see each base and the reference marked.';

  return (
    <Stack gap={4}>
      <Group gap="xs" justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {table.chrom}:{(view.start + 1).toLocaleString('en-US')}-{view.end.toLocaleString('en-US')} of {(table.start + 1).toLocaleString('en-US')}-{table.end.toLocaleString('en-US')} · {formatBp(n)} · class {table.className}
        </Text>
        <Group gap={4} wrap="nowrap">
          <Legend bound={bound} />
          <Tooltip label="Zoom in (or the mouse wheel)">
            <ActionIcon variant="default" size="sm" aria-label="Zoom the heatmap in" onClick={() => onView(zoomView(view, region, 0.5))}>
              <IconZoomIn size={14} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Zoom out">
            <ActionIcon variant="default" size="sm" aria-label="Zoom the heatmap out" onClick={() => onView(zoomView(view, region, 2))}>
              <IconZoomOut size={14} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="The whole region">
            <ActionIcon variant="default" size="sm" aria-label="Show the whole region" onClick={() => onView(region)}>
              <IconZoomReset size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <Group gap={4} wrap="nowrap" align="flex-start">
        <Stack gap={0} pt={AXIS} w={14} aria-hidden>
          {BASES.map((b) => (
            <Text key={b} h={ROW} size="xs" ff="monospace" lh={`${ROW}px`} ta="right">
              {b}
            </Text>
          ))}
        </Stack>
        <Box ref={holder} style={{ flex: 1, minWidth: 0 }}>
          <canvas
            ref={canvas}
            data-testid="ism-heatmap"
            role="img"
            aria-label={`ISM heatmap of ${table.chrom}:${view.start + 1}-${view.end}: change of ${table.className} probability per base`}
            style={{ width: '100%', height: HEIGHT, display: 'block', cursor: 'crosshair' }}
            onMouseMove={(e) => {
              if (drag.current) {
                const rect = canvas.current!.getBoundingClientRect();
                const d = drag.current;
                const moved = Math.round(((d.x - e.clientX) / rect.width) * (d.view.end - d.view.start));
                if (moved !== 0) onView(panView(d.view, region, moved));
                return;
              }
              setHover(at(e));
            }}
            onMouseLeave={() => {
              setHover(null);
              drag.current = null;
            }}
            onMouseDown={(e) => (drag.current = { x: e.clientX, view })}
            onMouseUp={() => (drag.current = null)}
            onWheel={(e) => {
              if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) onView(panView(view, region, Math.round(((e.deltaX || e.deltaY) / width) * n)));
              else onView(zoomView(view, region, e.deltaY > 0 ? 1.25 : 0.8, at(e).pos));
            }}
          />
        </Box>
      </Group>
      {n < table.end - table.start && (
        <Slider
          ml={18}
          size="xs"
          label={null}
          aria-label="Scroll the heatmap"
          min={table.start}
          max={table.end - n}
          value={view.start}
          onChange={(v) => onView({ start: v, end: v + n })}
        />
      )}
      <Text size="xs" c="dimmed" ff="monospace" data-testid="ism-hover" truncate>
        {hoverText}
      </Text>
    </Stack>
  );
}

function Legend({ bound }: { bound: number }) {
  const stops = [-1, -0.5, 0, 0.5, 1].map((t) => divergingColor(t * bound, bound)).map(([r, g, b]) => `rgb(${r},${g},${b})`);
  return (
    <Group gap={4} wrap="nowrap" mr="xs" aria-label={`Colour scale from −${bound.toPrecision(2)} to +${bound.toPrecision(2)}`}>
      <Text size="xs" c="dimmed">
        −{bound.toPrecision(2)}
      </Text>
      <Box w={90} h={10} style={{ background: `linear-gradient(to right, ${stops.join(', ')})`, borderRadius: 2 }} />
      <Text size="xs" c="dimmed">
        +{bound.toPrecision(2)}
      </Text>
    </Group>
  );
}

function avg(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : (a + b) / 2;
}

/** 1, 2, 5, 10, 20, 50, ... at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
