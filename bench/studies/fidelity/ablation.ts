// npm run fidelity -- --ablate: which radio effect closes how much of each
// twin's gap. Every twin runs again with each radio.effects switch turned the
// other way from the twin's own setting (one at a time, the same seed: each
// effect draws from its own random stream, so the runs are paired) and the
// run with it on is set beside the run with it off: rows within tolerance,
// and the mean relative gap |sim − real| / real of the engine's median error
// over the localizers and surveys. Written to bench/results/fidelity-effects.{json,md}.
// Not in CI: a twin per effect per dataset (some minutes).
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import type { RadioEffects } from '../../../scenarios/types.ts';
import type { EngineScore, Row } from '../../twin/fidelity.ts';
import type { TwinInput } from '../../twin/input.ts';
import { runTwin, type TwinOptions, type TwinReport } from '../../twin/twin.ts';

const RESULTS = 'bench/results/fidelity-effects';
/** Wi-Fi's own effects do nothing to a log without Wi-Fi devices. */
const WIFI_EFFECTS: (keyof RadioEffects)[] = ['wifiChannels', 'wifiTraffic', 'wifiReports'];

/** Effects that cannot change this twin: Wi-Fi's without Wi-Fi devices, floors on one floor, drift with a survey of the log's own day. */
function inert(effect: keyof RadioEffects, input: TwinInput, opts: TwinOptions): boolean {
  if (WIFI_EFFECTS.includes(effect)) return !input.observations.devices.some((d) => d.tech.startsWith('wifi'));
  if (effect === 'floors') return input.site.floors.length < 2;
  if (effect === 'drift') return opts.surveyAgeDays === 0;
  return false;
}

export interface Agreement {
  rowsWithin: number;
  rows: number;
  /** Mean |sim − real| / real of the engine's median error rows. */
  medianErrorGap: number;
}

export interface EffectAblation {
  twin: string;
  effect: keyof RadioEffects;
  /** Whether the twin itself runs with it (from its calibration and the base radio). */
  inTwin: boolean;
  on: Agreement | null;
  off: Agreement | null;
  /** Why the toggled run has no rows (the engine failed on it). */
  failed?: string;
}

export function agreement(rows: Row[]): Agreement {
  const medians = rows.filter((r) => r.metric === 'median error m' && r.real > 0);
  return {
    rowsWithin: rows.filter((r) => r.pass).length,
    rows: rows.length,
    medianErrorGap: medians.reduce((s, r) => s + Math.abs(r.sim - r.real) / r.real, 0) / Math.max(medians.length, 1),
  };
}

/** The twin run with each effect turned the other way; `report` is its own run. */
export async function ablateTwin(name: string, input: TwinInput, opts: TwinOptions, report: TwinReport, onEffect: (effect: string) => void): Promise<EffectAblation[]> {
  const own = report.radio.effects;
  const out: EffectAblation[] = [];
  // The real side does not change with the simulator's effects; the calibration's intervals are not read here.
  const realScores = new Map<string, EngineScore>();
  const base: TwinOptions = { ...opts, bootstrap: 0, realScores, onStep: undefined };
  for (const effect of Object.keys(own) as (keyof RadioEffects)[]) {
    if (inert(effect, input, opts)) continue;
    onEffect(effect);
    let toggled: TwinReport;
    try {
      toggled = await runTwin(input, { ...base, effects: { ...opts.effects, [effect]: !own[effect] } });
    } catch (err) {
      // One failed run (the engine on the toggled world) leaves the others' table whole.
      const failed = (err as Error).message;
      out.push({ twin: name, effect, inTwin: own[effect], on: own[effect] ? agreement(report.rows) : null, off: own[effect] ? null : agreement(report.rows), failed });
      continue;
    }
    const [on, off] = own[effect] ? [report.rows, toggled.rows] : [toggled.rows, report.rows];
    out.push({ twin: name, effect, inTwin: own[effect], on: agreement(on), off: agreement(off) });
  }
  return out;
}

export function writeAblation(results: EffectAblation[], seed: number): string {
  writeFileAtomic(`${RESULTS}.json`, JSON.stringify({ seed, effects: results }, null, 2) + '\n');
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
  const table = formatTable(
    ['effect', 'twin', 'in twin', 'rows within, on', 'off', 'median-error gap, on', 'off', 'effect closes'],
    results.map((r) => {
      const rows = (a: Agreement | null): string => (a ? `${a.rowsWithin}/${a.rows}` : 'failed');
      const gap = (a: Agreement | null): string => (a ? pct(a.medianErrorGap) : '-');
      const closes = r.on && r.off
        ? `${r.on.rowsWithin - r.off.rowsWithin >= 0 ? '+' : ''}${r.on.rowsWithin - r.off.rowsWithin} rows, ${pct(r.off.medianErrorGap - r.on.medianErrorGap)} gap`
        : `engine failed: ${r.failed}`;
      return [r.effect, r.twin, r.inTwin ? 'on' : 'off', rows(r.on), rows(r.off), gap(r.on), gap(r.off), closes];
    }),
  );
  const md = `# Fidelity per radio effect\n\n\`npm run fidelity -- --ablate\` (bench/studies/fidelity/ablation.ts), seed ${seed}: each twin with each\n` +
    `radio.effects switch turned the other way from the twin's own setting ("in twin"), one at a time.\n` +
    `"Rows within": the twin's rows within tolerance with the effect on and off; "median-error gap": mean\n` +
    `|sim − real| / real of the engine's median error over the localizers, with and without the survey.\n` +
    `One seed. advertisingChannels runs with channelOffsetSigmaDb 0 in every twin (the calibration folds per-channel\n` +
    `gains into the fitted fading), so turning it off changes only which random draws land where: its row is the\n` +
    `run-to-run spread of a single seed, and a difference no larger than it says nothing about an effect.\n\n\`\`\`\n${table}\n\`\`\`\n`;
  writeFileAtomic(`${RESULTS}.md`, md);
  return table;
}
