// The shared real logs as recorded, for the stages that need time: each
// device's reports at their own times, located through the engine as
// `ctsim locate` runs them (default config, tracker and stays included) and
// scored against its true positions, every fix. The logs come in the twin
// format (bench/studies/fidelity adapters), split as their twins split them:
// the UJI library's campaign 3 on campaign 2's survey, the UJI office area's
// odd points on the even points' survey and its way back on the way out's
// (the same positions, walked the other way), calib2021's robot run on its
// calibration run, and the long-term Wi-Fi phone of a month on month 1's survey.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type DeepPartial, type EngineConfig } from '../../../engine/config.ts';
import type { SurveyBatch } from '../../../engine/contract/survey.ts';
import { readTwinInput, type TwinInput } from '../../twin/input.ts';
import { subsetObservations } from '../../../engine/contract/observations.ts';
import { DEFAULT_MAX_GAP_MS } from '../../twin/positions.ts';
import { parseSplit, splitRule, type SplitRule } from '../../twin/split.ts';
import { partRule, scoreEngine } from '../../twin/twin.ts';
import type { EngineScore } from '../../twin/fidelity.ts';
import { anchorsCase } from '../fidelity/anchors.ts';
import { longtermCase } from '../fidelity/longterm.ts';
import type { TwinCase } from '../fidelity/twin-files.ts';
import { ujiCase } from '../fidelity/uji.ts';
import { dataDir } from './data-dir.ts';

/** One real log's part to locate, with what scores it. */
export interface RealWalk {
  name: string;
  input: TwinInput;
  test: TwinInput['observations'];
  rule: SplitRule;
  survey: SurveyBatch | undefined;
}

/** wifi-longterm months walked on month 1's survey: the survey's own month, and a year on. */
const LONGTERM_MONTHS = [1, 13];

/** Every shared log that holds time series with true positions, read once (the files are written to a temporary folder and read back). */
export function realWalks(): RealWalk[] {
  const work = mkdtempSync(join(tmpdir(), 'ctsim-walks-'));
  try {
    const read = <C extends Pick<TwinCase, 'paths' | 'maxGapS'>>(name: string, make: (dir: string) => C): { c: C; input: TwinInput } => {
      const dir = join(work, name);
      mkdirSync(dir);
      const c = make(dir);
      return { c, input: readTwinInput({ ...c.paths, maxGapS: c.maxGapS ?? DEFAULT_MAX_GAP_MS / 1000 }) };
    };
    const walks: RealWalk[] = [];
    const twinCases: [string, (dir: string) => TwinCase][] = [
      ['UJI lib campaign 3', (dir) => ujiCase(dataDir(), 'lib', dir)],
      ['UJI geo odd points', (dir) => ujiCase(dataDir(), 'geo', dir)],
      ['UJI geo way back', (dir) => ujiCase(dataDir(), 'geo-walk', dir)],
      ['calib2021 robot', (dir) => anchorsCase(dataDir(), dir)],
    ];
    for (const [k, [name, make]] of twinCases.entries()) {
      const { c, input } = read(String(k), make);
      walks.push(walkOf(name, input, splitRule(parseSplit(c.split), input.tracks, input.firstMs, input.lastMs)));
    }
    const { c: longterm, input } = read('longterm', (dir) => longtermCase(dir, LONGTERM_MONTHS));
    for (const part of longterm.parts) {
      walks.push(walkOf(`Wi-Fi ${part.label}`, input, splitRule({ kind: 'device', ids: part.deviceIds }, input.tracks, input.firstMs, input.lastMs)));
    }
    return walks;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function walkOf(name: string, input: TwinInput, rule: SplitRule): RealWalk {
  const partOf = partRule(input.observations, input.tracks, rule);
  return { name, input, rule, survey: input.survey, test: subsetObservations(input.observations, (i) => partOf(i) === 'test') };
}

/** The walk's test part located with `overrides` over the default config (with its survey, or none), every fix scored. */
export function locateWalk(w: RealWalk, overrides: DeepPartial<EngineConfig>, withSurvey = true): Promise<EngineScore> {
  const cfg: EngineConfig = resolveConfig({ ...overrides, run: { workers: 0 } });
  return scoreEngine(w.input.site, w.test, w.input.tracks, w.rule, cfg, withSurvey ? w.survey : undefined);
}
