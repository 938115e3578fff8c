// Spatially correlated log-normal shadowing for one (AP, band): white
// Gaussian noise on a grid, smoothed by a Gaussian kernel of sigma d/2 so the
// field's autocorrelation is exp(-r^2 / d^2) (e^-1 at the decorrelation
// distance d), normalized to unit variance, scaled to sigmaDb, read with
// bilinear interpolation.
import type { Rng } from '../rng.ts';

export class ShadowingField {
  private readonly cellM: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly valuesDb: Float64Array;
  /** Smallest value on the grid: bilinear reads never go below it. */
  readonly minDb: number;

  constructor(widthM: number, heightM: number, sigmaDb: number, decorrelationM: number, rng: Rng) {
    // Cells well below the decorrelation distance so interpolation keeps the variance.
    this.cellM = Math.min(1, decorrelationM / 4);
    this.nx = Math.ceil(widthM / this.cellM) + 1;
    this.ny = Math.ceil(heightM / this.cellM) + 1;
    const kernel = gaussianKernel(decorrelationM / 2 / this.cellM);
    const pad = (kernel.length - 1) / 2;
    const wx = this.nx + 2 * pad;
    const wy = this.ny + 2 * pad;
    const noise = new Float64Array(wx * wy);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.normal();
    // Separable convolution: rows (keeping all padded rows), then columns.
    const rows = new Float64Array(this.nx * wy);
    for (let y = 0; y < wy; y++) {
      for (let x = 0; x < this.nx; x++) {
        let sum = 0;
        for (let k = 0; k < kernel.length; k++) sum += kernel[k] * noise[y * wx + x + k];
        rows[y * this.nx + x] = sum;
      }
    }
    this.valuesDb = new Float64Array(this.nx * this.ny);
    for (let y = 0; y < this.ny; y++) {
      for (let x = 0; x < this.nx; x++) {
        let sum = 0;
        for (let k = 0; k < kernel.length; k++) sum += kernel[k] * rows[(y + k) * this.nx + x];
        this.valuesDb[y * this.nx + x] = sigmaDb * sum;
      }
    }
    this.minDb = this.valuesDb.reduce((m, v) => Math.min(m, v), Infinity);
  }

  /** Shadowing at (x, y) in dB; positions off the floor are clamped to its edge. */
  atDb(x: number, y: number): number {
    const gx = Math.min(Math.max(x / this.cellM, 0), this.nx - 1.000001);
    const gy = Math.min(Math.max(y / this.cellM, 0), this.ny - 1.000001);
    const ix = Math.floor(gx);
    const iy = Math.floor(gy);
    const fx = gx - ix;
    const fy = gy - iy;
    const v = this.valuesDb;
    const i = iy * this.nx + ix;
    const top = v[i] + fx * (v[i + 1] - v[i]);
    const bottom = v[i + this.nx] + fx * (v[i + this.nx + 1] - v[i + this.nx]);
    return top + fy * (bottom - top);
  }
}

/** Gaussian weights over +-3 sigma, normalized so their squares sum to 1 (unit-variance output from unit-variance noise). */
function gaussianKernel(sigmaCells: number): Float64Array {
  const radius = Math.ceil(3 * sigmaCells);
  const kernel = new Float64Array(2 * radius + 1);
  for (let i = -radius; i <= radius; i++) kernel[i + radius] = sigmaCells > 0 ? Math.exp(-(i * i) / (2 * sigmaCells * sigmaCells)) : 1;
  const norm = Math.sqrt(kernel.reduce((s, w) => s + w * w, 0));
  return kernel.map((w) => w / norm);
}
