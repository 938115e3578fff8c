// Macro benchmark: engine throughput on a fixed pre-generated observation
// file (a scenario simulated once with a fixed seed, cached under
// bench/.cache/), for 1 and 2 workers. Each repetition reads the file (the
// `locate` reader) and runs the whole engine (ingest, localize, contacts, journeys, hot zones).
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { writeFileAtomic } from '../engine/io/atomic-write.ts';
import { writeObservations } from '../engine/io/observations-table.ts';
import { readObservationsArrow } from '../engine/io/observations-reader.ts';
import { runEngine } from '../engine/run.ts';
import type { Site } from '../engine/site.ts';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/simulate.ts';

export interface MacroRow {
  workers: number;
  observations: number;
  /** Median over repetitions. */
  readS: number;
  engineS: number;
  /** CPU seconds (all threads) of the engine run: how much work, whatever else loads the machine. */
  engineCpuS: number;
  engineObsPerSec: number;
  /** File read + engine. */
  endToEndObsPerSec: number;
  repetitions: number;
}

export const CACHE_DIR = new URL('./.cache/', import.meta.url).pathname;

/** The benchmark file for a scenario and seed, simulated on first use. */
export function benchmarkFile(scenarioName: string, seed: number): { path: string; site: Site } {
  const base = `${CACHE_DIR}${scenarioName}-seed${seed}`;
  if (!existsSync(`${base}.observations.arrow`)) {
    const scenario = { ...loadScenario(scenarioName), seed };
    const sim = simulate(scenario);
    writeObservations(`${base}.observations.arrow`, sim.observations, scenario.site);
    writeFileAtomic(`${base}.site.json`, JSON.stringify(scenario.site));
  }
  return { path: `${base}.observations.arrow`, site: JSON.parse(readFileSync(`${base}.site.json`, 'utf8')) };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function runMacro(path: string, site: Site, workerCounts: number[], repetitions: number): Promise<MacroRow[]> {
  const rows: MacroRow[] = [];
  for (const workers of workerCounts) {
    const readS: number[] = [], engineS: number[] = [], cpuS: number[] = [];
    let observations = 0;
    for (let r = 0; r < repetitions; r++) {
      const t0 = performance.now();
      const obs = readObservationsArrow(path, site).observations;
      const t1 = performance.now();
      const cpu0 = process.cpuUsage();
      await runEngine(site, obs, { workers });
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      cpuS.push((cpu.user + cpu.system) / 1e6);
      observations = obs.length;
      readS.push((t1 - t0) / 1000);
      engineS.push((t2 - t1) / 1000);
    }
    const engine = median(engineS), read = median(readS);
    rows.push({ workers, observations, readS: read, engineS: engine, engineCpuS: median(cpuS), engineObsPerSec: observations / engine, endToEndObsPerSec: observations / (read + engine), repetitions });
  }
  return rows;
}
