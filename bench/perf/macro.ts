// Macro benchmark: engine throughput on a fixed pre-generated observation
// file (a scenario simulated once with a fixed seed, cached under
// bench/.cache/), for 1 and 2 workers. Each repetition reads the file (the
// `locate` reader) and runs the whole engine (ingest, localize, contacts, journeys, hot zones)
// as configured by default, with the scenario's site survey when it has one
// (the default map localizer's radio map comes from it).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { writeObservations } from '../../engine/io/observations-table.ts';
import { readObservationsArrow } from '../../engine/io/observations-reader.ts';
import { readSurveyFile, writeSurvey } from '../../engine/io/survey-table.ts';
import { runEngine } from '../../engine/run.ts';
import type { Site } from '../../engine/contract/site.ts';
import type { SurveyBatch } from '../../engine/contract/survey.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/simulate.ts';
import type { MacroRow } from '../../reports/schemas/perf-result.ts';

// utime and stime in /proc are in clock ticks, 100 per second on Linux.
const CLOCK_TICKS_PER_S = 100;

export const CACHE_DIR = new URL('../.cache/', import.meta.url).pathname;

export interface BenchmarkFile {
  path: string;
  site: Site;
  survey?: SurveyBatch;
}

/** Folders whose files decide what the simulator writes: a change to any of them makes a new benchmark file. */
const SIMULATOR_DIRS = ['../../sim/', '../../scenarios/'].map((d) => new URL(d, import.meta.url).pathname);

/** A short hash of the simulator's and the scenarios' sources, so a cached file never outlives the code that made it. */
function simulatorVersion(): string {
  const hash = createHash('sha256');
  for (const dir of SIMULATOR_DIRS) {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
      if (/\.(ts|js|json)$/.test(file)) hash.update(file).update(readFileSync(`${dir}${file}`));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The benchmark file for a scenario and seed, simulated on first use, with
 * its site and (when the scenario has one) its survey beside it, all read
 * back as `locate` reads them; keyed by the simulator's sources too, so a
 * simulator change is never benchmarked on stale input. Simulated on the
 * ideal radio preset: the dense file (every phone frame heard by every AP in
 * range) the throughput target (≥ 1M observations/s with 2 workers) was set
 * on; the realistic office has half the observations for about the same
 * engine work (one fix per device and epoch either way).
 */
export function benchmarkFile(scenarioName: string, seed: number): BenchmarkFile {
  const base = `${CACHE_DIR}${scenarioName}-ideal-seed${seed}-${simulatorVersion()}`;
  if (!existsSync(`${base}.site.json`)) {
    const scenario = { ...loadScenario(scenarioName, { radioPreset: 'ideal' }), seed };
    const sim = simulate(scenario);
    writeObservations(`${base}.observations.arrow`, sim.observations, scenario.site);
    if (sim.survey) writeSurvey(`${base}.survey.arrow`, sim.survey, scenario.site);
    // Written last: its presence means the files before it are complete.
    writeFileAtomic(`${base}.site.json`, JSON.stringify(scenario.site));
  }
  const site = JSON.parse(readFileSync(`${base}.site.json`, 'utf8')) as Site;
  const survey = existsSync(`${base}.survey.arrow`) ? readSurveyFile(`${base}.survey.arrow`, site) : undefined;
  return { path: `${base}.observations.arrow`, site, survey };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function runMacro({ path, site, survey }: BenchmarkFile, workerCounts: number[], repetitions: number): Promise<MacroRow[]> {
  const runs = workerCounts.map(() => ({ readS: [] as number[], engineS: [] as number[], cpuS: [] as number[], mainCpuS: [] as number[], load: [] as number[] }));
  let observations = 0;
  // Worker counts take turns within each repetition, so a change in the machine's other load hits them alike.
  for (let r = 0; r < repetitions; r++) {
    for (const [w, workers] of workerCounts.entries()) {
      const t0 = performance.now();
      const obs = readObservationsArrow(path, site).observations;
      const t1 = performance.now();
      const cpu0 = process.cpuUsage(), main0 = mainThreadCpuS();
      await runEngine(site, obs, { run: { workers } }, { survey });
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      observations = obs.length;
      runs[w].readS.push((t1 - t0) / 1000);
      runs[w].engineS.push((t2 - t1) / 1000);
      runs[w].cpuS.push((cpu.user + cpu.system) / 1e6);
      runs[w].mainCpuS.push(mainThreadCpuS() - main0);
      runs[w].load.push(loadavg()[0]);
    }
  }
  return workerCounts.map((workers, w) => {
    const engine = median(runs[w].engineS), read = median(runs[w].readS);
    return {
      workers, observations, readS: read, engineS: engine, engineCpuS: median(runs[w].cpuS), mainThreadCpuS: median(runs[w].mainCpuS),
      engineObsPerSec: observations / engine, endToEndObsPerSec: observations / (read + engine), repetitions, loadAvg1m: median(runs[w].load),
    };
  });
}

/** CPU seconds of this (the main) thread alone: the engine's serial share. NaN where /proc is missing. */
function mainThreadCpuS(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}
