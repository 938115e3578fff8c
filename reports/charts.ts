// The report's charts as vega-lite specs with their data inline. Pure
// functions: data in, spec out; rendering is reports/render.ts's job.
import type { TopLevelSpec } from 'vega-lite';
import type { Site } from '../engine/contract/site.ts';
import type { PrPoint } from './schemas/sweep-summary.ts';
import type { DeviceTrack } from './run-data.ts';

export interface Chart {
  /** File stem of the figure, e.g. error-cdf. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const HOUR_MS = 3_600_000;
/** Points per CDF line: plenty for the eye, small enough to keep the HTML light. */
const CDF_POINTS = 200;
/** Heatmap cell size, metres. */
const HEAT_CELL_M = 1;
/** Plot pixels per metre of floor. */
const PX_PER_M = 14;
/** Fixes drawn on the track chart at most (evenly thinned): a day of 5 s epochs would bloat the SVG. */
const TRACK_POINTS = 1500;

function thin<T>(xs: readonly T[], max: number): T[] {
  const step = Math.ceil(xs.length / max);
  return step <= 1 ? [...xs] : xs.filter((_, i) => i % step === 0);
}

/** Error CDF per technology (and per run when several); the CRLB as a dashed rule where known. */
export function errorCdfChart(series: { run: string; tech: string; errors: Float64Array; crlbRmseM?: number | null }[]): Chart {
  const many = new Set(series.map((s) => s.run)).size > 1;
  const values = series.flatMap((s) => {
    const n = s.errors.length;
    if (n === 0) return [];
    const step = Math.max(1, Math.floor(n / CDF_POINTS));
    const rows: { tech: string; run: string; errorM: number; fraction: number }[] = [];
    for (let i = 0; i < n; i += step) rows.push({ tech: s.tech, run: s.run, errorM: s.errors[i], fraction: (i + 1) / n });
    rows.push({ tech: s.tech, run: s.run, errorM: s.errors[n - 1], fraction: 1 });
    return rows;
  });
  const crlb = series.filter((s) => typeof s.crlbRmseM === 'number' && Number.isFinite(s.crlbRmseM)).map((s) => ({ tech: s.tech, run: s.run, crlbRmseM: s.crlbRmseM }));
  const color = { field: 'tech', type: 'nominal', title: 'technology' } as const;
  const dash = many ? { strokeDash: { field: 'run', type: 'nominal' } as const } : {};
  return {
    name: 'error-cdf',
    title: 'Localization error CDF per technology',
    spec: {
      $schema: SCHEMA,
      width: 520,
      height: 300,
      layer: [
        {
          data: { values },
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x: { field: 'errorM', type: 'quantitative', title: 'horizontal error (m)', scale: { domainMin: 0 } },
            y: { field: 'fraction', type: 'quantitative', title: 'fraction of fixes', scale: { domain: [0, 1] } },
            color,
            ...dash,
          },
        },
        ...(crlb.length
          ? [{
              data: { values: crlb },
              mark: { type: 'rule', strokeDash: [4, 3] },
              encoding: { x: { field: 'crlbRmseM', type: 'quantitative' }, color },
            } as const]
          : []),
      ],
    } as TopLevelSpec,
  };
}

/** Precision/recall per technology over the sweep's points; the recommended point ringed. */
export function prCurveChart(curves: Record<string, PrPoint[]>, recommended: Record<string, PrPoint | null>, params: string[]): Chart {
  const label = (p: PrPoint): string => params.map((k) => `${k}=${p.values[k]}`).join(' ');
  const values = Object.entries(curves).flatMap(([tech, pts]) => pts.map((p) => ({ tech, point: p.point, precision: p.precision, recall: p.recall, f1: p.f1, params: label(p) })));
  const chosen = Object.entries(recommended).flatMap(([tech, p]) => (p ? [{ tech, precision: p.precision, recall: p.recall, params: label(p) }] : []));
  const color = { field: 'tech', type: 'nominal', title: 'technology' } as const;
  return {
    name: 'pr-curve',
    title: 'Contact precision/recall per technology over the sweep (ringed: recommended operating point)',
    spec: {
      $schema: SCHEMA,
      width: 420,
      height: 320,
      layer: [
        {
          data: { values },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] } },
            y: { field: 'precision', type: 'quantitative', scale: { domain: [0, 1] } },
            color,
            order: { field: 'recall', type: 'quantitative' },
            tooltip: [{ field: 'tech' }, { field: 'params' }, { field: 'f1', format: '.3f' }],
          },
        },
        {
          data: { values: chosen },
          mark: { type: 'point', size: 320, strokeWidth: 2.5, filled: false },
          encoding: { x: { field: 'recall', type: 'quantitative' }, y: { field: 'precision', type: 'quantitative' }, color },
        },
      ],
    } as TopLevelSpec,
  };
}

/** Layers every floor-plan chart shares: walls, zone outlines and names, APs. */
function floorLayers(site: Site, floor: number): object[] {
  const walls = site.walls.filter((w) => w.floor === floor).map((w) => ({ x: w.x1, y: w.y1, x2: w.x2, y2: w.y2, material: w.material }));
  const outline = site.zones.filter((z) => z.floor === floor).flatMap((z) =>
    [...z.polygon, z.polygon[0]].map(([x, y], i) => ({ zone: z.id, i, x, y })));
  const labels = site.zones.filter((z) => z.floor === floor).map((z) => ({
    zone: z.name,
    x: z.polygon.reduce((s, p) => s + p[0], 0) / z.polygon.length,
    y: z.polygon.reduce((s, p) => s + p[1], 0) / z.polygon.length,
  }));
  const aps = site.aps.filter((a) => a.floor === floor).map((a) => ({ ap: a.id, x: a.x, y: a.y }));
  const q = (field: string) => ({ field, type: 'quantitative' as const });
  return [
    { data: { values: outline }, mark: { type: 'line', color: '#7a7a7a', strokeWidth: 1 }, encoding: { x: q('x'), y: q('y'), detail: { field: 'zone' }, order: q('i') } },
    { data: { values: walls }, mark: { type: 'rule', color: '#222', strokeWidth: 2 }, encoding: { x: q('x'), y: q('y'), x2: { field: 'x2' }, y2: { field: 'y2' } } },
    { data: { values: labels }, mark: { type: 'text', fontSize: 9, color: '#444' }, encoding: { x: q('x'), y: q('y'), text: { field: 'zone' } } },
    { data: { values: aps }, mark: { type: 'point', shape: 'triangle-up', size: 90, filled: true, color: '#d62728' }, encoding: { x: q('x'), y: q('y'), tooltip: [{ field: 'ap' }] } },
  ];
}

function floorScales(site: Site, floor: number) {
  const f = site.floors.find((fl) => fl.id === floor)!;
  return {
    width: Math.round(f.widthM * PX_PER_M),
    height: Math.round(f.heightM * PX_PER_M),
    x: { scale: { domain: [0, f.widthM], nice: false }, title: 'x (m)' },
    // Plan view: y grows downwards, as in the scenario's coordinates.
    y: { scale: { domain: [0, f.heightM], nice: false, reverse: true }, title: 'y (m)' },
  };
}

/** Floor plan with true occupancy (person-seconds per square metre cell) under walls, zones and APs. */
export function floorPlanChart(site: Site, floor: number, samples: { x: Float32Array; y: Float32Array; floor: Int16Array }, sampleIntervalS: number): Chart {
  const s = floorScales(site, floor);
  const counts = new Map<string, number>();
  for (let i = 0; i < samples.x.length; i++) {
    if (samples.floor[i] !== floor) continue;
    const cx = Math.floor(samples.x[i] / HEAT_CELL_M), cy = Math.floor(samples.y[i] / HEAT_CELL_M);
    const k = `${cx},${cy}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const heat = [...counts.entries()].sort().map(([k, n]) => {
    const [cx, cy] = k.split(',').map(Number);
    return { x: cx * HEAT_CELL_M, x2: (cx + 1) * HEAT_CELL_M, y: cy * HEAT_CELL_M, y2: (cy + 1) * HEAT_CELL_M, personHours: (n * sampleIntervalS) / 3600 };
  });
  const [heatLayer, ...rest] = [
    {
      data: { values: heat },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'x', type: 'quantitative', ...s.x }, x2: { field: 'x2' },
        y: { field: 'y', type: 'quantitative', ...s.y }, y2: { field: 'y2' },
        color: { field: 'personHours', type: 'quantitative', title: 'person-hours / m²', scale: { scheme: 'yelloworangered' } },
      },
    },
    ...floorLayers(site, floor),
  ];
  const name = site.floors.find((f) => f.id === floor)!.name;
  return {
    name: `floor-plan-${floor}`,
    // A floor nobody stood on has no occupancy to scale a colour legend by (it read NaN to NaN).
    title: `Floor plan ${name}: walls, zones, APs (red triangles) and ${heat.length ? 'true occupancy' : 'nobody on it'}`,
    spec: { $schema: SCHEMA, width: s.width, height: s.height, layer: heat.length ? [heatLayer, ...rest] : rest } as TopLevelSpec,
  };
}

/** One device's true path and the engine's fixes, on the plan of the floor it spent most time on. */
export function trackChart(site: Site, track: DeviceTrack): Chart {
  const floorCount = new Map<number, number>();
  for (const t of track.truth) floorCount.set(t.floor, (floorCount.get(t.floor) ?? 0) + 1);
  const floor = [...floorCount.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? site.floors[0].id;
  const s = floorScales(site, floor);
  const truth = track.truth.filter((t) => t.floor === floor).map((t) => ({ x: t.x, y: t.y, tMs: t.tMs, what: 'true path' }));
  const est = thin(track.estimates.filter((e) => e.floor === floor), TRACK_POINTS).map((e) => ({ x: e.x, y: e.y, tMs: e.tMs, what: 'engine fix' }));
  const color = { field: 'what', type: 'nominal', title: '', scale: { domain: ['true path', 'engine fix'], range: ['#1f77b4', '#ff7f0e'] } } as const;
  return {
    name: 'device-track',
    title: `Device ${track.deviceId} (${track.tech}, carried by ${track.personId}): true path vs engine fixes`,
    spec: {
      $schema: SCHEMA,
      width: s.width,
      height: s.height,
      layer: [
        ...floorLayers(site, floor),
        { data: { values: est }, mark: { type: 'point', size: 10, opacity: 0.5, filled: true }, encoding: { x: { field: 'x', type: 'quantitative', ...s.x }, y: { field: 'y', type: 'quantitative', ...s.y }, color } },
        { data: { values: truth }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'tMs', type: 'quantitative' }, color } },
      ],
    } as TopLevelSpec,
  };
}

/** The device's zone visits over the day: true (from truth positions) and the engine's journey when present. */
export function journeyChart(track: DeviceTrack, durationS: number): Chart {
  const bars: { zone: string; start: number; end: number; source: string }[] = [];
  let open: { zone: string; start: number } | null = null;
  let lastT = 0;
  for (const t of track.truth) {
    if (open && (t.zoneId !== open.zone || t.tMs - lastT > HOUR_MS / 60)) {
      bars.push({ zone: open.zone, start: open.start / HOUR_MS, end: lastT / HOUR_MS, source: 'true' });
      open = null;
    }
    if (!open && t.zoneId !== null) open = { zone: t.zoneId, start: t.tMs };
    lastT = t.tMs;
  }
  if (open) bars.push({ zone: open.zone, start: open.start / HOUR_MS, end: lastT / HOUR_MS, source: 'true' });
  for (const v of track.visits ?? []) bars.push({ zone: v.zone, start: v.enterTMs / HOUR_MS, end: v.exitTMs / HOUR_MS, source: 'engine' });
  return {
    name: 'device-journey',
    title: `Device ${track.deviceId}: zone journey over the run${track.visits ? ' (true vs engine)' : ' (true)'}`,
    spec: {
      $schema: SCHEMA,
      width: 560,
      height: { step: 16 },
      data: { values: bars },
      mark: { type: 'bar', height: { band: 0.7 } },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: 'hours since start', scale: { domain: [0, durationS / 3600] } },
        x2: { field: 'end' },
        y: { field: 'zone', type: 'nominal', title: 'zone' },
        yOffset: { field: 'source' },
        color: { field: 'source', type: 'nominal', title: '', scale: { domain: track.visits ? ['true', 'engine'] : ['true'], range: ['#1f77b4', '#ff7f0e'] } },
      },
    } as TopLevelSpec,
  };
}

/** Hot-zone alerts from raised to cleared (to the end of the run while still hot). */
export function hotZoneChart(alerts: { zone: string; raisedTMs: number; clearedTMs: number | null }[], durationS: number): Chart {
  const values = alerts.map((a) => ({ zone: a.zone, raised: a.raisedTMs / HOUR_MS, cleared: (a.clearedTMs ?? durationS * 1000) / HOUR_MS }));
  return {
    name: 'hot-zones',
    title: 'Hot-zone alerts over the run',
    spec: {
      $schema: SCHEMA,
      width: 560,
      height: { step: 18 },
      data: { values },
      mark: { type: 'bar', color: '#d62728' },
      encoding: {
        x: { field: 'raised', type: 'quantitative', title: 'hours since start', scale: { domain: [0, durationS / 3600] } },
        x2: { field: 'cleared' },
        y: { field: 'zone', type: 'nominal' },
      },
    } as TopLevelSpec,
  };
}

/** Engine throughput against one factor (workers or occupants) from bench results. */
export function throughputChart(rows: { obsPerSec: number; factor: number; series: string }[], factor: 'workers' | 'occupants'): Chart {
  return {
    name: `throughput-vs-${factor}`,
    title: `Engine throughput vs ${factor}`,
    spec: {
      $schema: SCHEMA,
      width: 420,
      height: 260,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'factor', type: 'quantitative', title: factor },
        y: { field: 'obsPerSec', type: 'quantitative', title: 'observations / s' },
        color: { field: 'series', type: 'nominal', title: '' },
      },
    } as TopLevelSpec,
  };
}
