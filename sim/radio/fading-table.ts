// Fast fading drawn by table lookup: the quantiles of the fading gain (dB)
// at N evenly spaced probabilities, so one draw is one uniform and one array
// read instead of logs and square roots per reception (a large share of the
// simulator's time). Reported RSSI is rounded to whole dBm, far coarser than
// the table's resolution.
import { Rng } from '../rng.ts';
import { rayleighFadingDb, ricianFadingDb } from './fading.ts';

const QUANTILES = 1024;
/** Monte Carlo samples behind each table: enough that every quantile sits within ~0.05 dB of the exact one. */
const SAMPLES = 1 << 17;

export class FadingTable {
  private readonly gainsDb: Float64Array;
  /** The largest gain a draw can return, dB: links whose mean is further below sensitivity are never heard. */
  readonly maxDb: number;
  /** Mean of the gain in dB (negative: the mean linear gain is 1, and dB averages weight deep fades). */
  readonly meanDb: number;
  /** Standard deviation of the gain, dB. */
  readonly sigmaDb: number;

  /** Rician with factor K (linear); K = 0 is Rayleigh. */
  constructor(kLinear: number) {
    const rng = new Rng(0, `fading-table:${kLinear}`);
    const samples = new Float64Array(SAMPLES);
    for (let i = 0; i < SAMPLES; i++) samples[i] = kLinear === 0 ? rayleighFadingDb(rng) : ricianFadingDb(kLinear, rng);
    samples.sort();
    this.gainsDb = new Float64Array(QUANTILES);
    for (let q = 0; q < QUANTILES; q++) this.gainsDb[q] = samples[Math.floor(((q + 0.5) / QUANTILES) * SAMPLES)];
    this.maxDb = this.gainsDb[QUANTILES - 1];
    const mean = this.gainsDb.reduce((a, b) => a + b, 0) / QUANTILES;
    this.meanDb = mean;
    this.sigmaDb = Math.sqrt(this.gainsDb.reduce((a, g) => a + (g - mean) ** 2, 0) / QUANTILES);
  }

  draw(rng: Rng): number {
    return this.gainsDb[rng.int(QUANTILES)];
  }
}

const tables = new Map<number, FadingTable>();

/** The table for Rician K (linear), built once per thread: it depends on K alone, and building it is most of a BandChannel's setup. */
export function fadingTable(kLinear: number): FadingTable {
  let table = tables.get(kLinear);
  if (!table) tables.set(kLinear, (table = new FadingTable(kLinear)));
  return table;
}
