// bench/results/<name>.json, what `npm run bench` (bench/perf/main.ts)
// writes and `ctsim report --bench-results` reads.

export interface PerfResult {
  name: string;
  /** ISO 8601, when the run started. */
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadNote: string; loadAvg1mStart: number; loadAvg1mEnd?: number };
  micro?: MicroResult[];
  macro?: { file: string; rows: MacroRow[]; twoVsOneWorker: number };
  scaling?: { scenario: string; points: ScalePoint[] };
}

export interface MicroResult {
  name: string;
  /** What one operation is. */
  op: string;
  medianNs: number;
  opsPerSec: number;
  rmePct: number;
  samples: number;
}

export interface MacroRow {
  workers: number;
  observations: number;
  /** Median over repetitions. */
  readS: number;
  engineS: number;
  /** CPU seconds (all threads) of the engine run: how much work, whatever else loads the machine. */
  engineCpuS: number;
  /** CPU seconds of the calling thread during the engine run (input checks, calibration, hand-out, merges): what does not spread over workers. */
  mainThreadCpuS: number;
  engineObsPerSec: number;
  /** File read + engine. */
  endToEndObsPerSec: number;
  repetitions: number;
  /** Median 1-minute load average at the end of each run: how busy the machine was. */
  loadAvg1m: number;
}

export interface ScalePoint {
  occupants: number;
  devices: number;
  observations: number;
  simulateS: number;
  engineS: number;
  scoreS: number;
  totalS: number;
  /** CPU seconds of all threads (user + system): less sensitive than wall time to other load on the machine. */
  cpuS: number;
  peakRssMiB: number;
  /** Each stage's wall and CPU seconds, and the peak RSS reached by its end: where the time and the memory go. */
  stages: { stage: 'simulate' | 'engine' | 'score'; wallS: number; cpuS: number; peakRssMiB: number }[];
  detectors?: DetectorComparison;
}

export interface DetectorComparison {
  windowMin: number;
  estimates: number;
  /** Busiest epoch's fixes (same technology pairs are searched). */
  peakFixesPerEpoch: number;
  /** The close-pair search alone (what the detectors differ in), every epoch and technology of the window, best of 3 passes. */
  searchGridS: number;
  searchAllPairsS: number;
  searchSpeedup: number;
  /** Whole contact detection (search + the shared exposure bookkeeping). */
  gridS: number;
  allPairsS: number;
  speedup: number;
  contacts: number;
  equal: boolean;
}
