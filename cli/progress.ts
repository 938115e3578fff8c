// A progress line with rate and ETA on an interactive terminal; silent in CI,
// when piped, or with --quiet.
export interface Progress {
  /** total: how many `unit`s the whole stage is, when known, to show a rate (e.g. 2.1M obs/s). */
  update(fraction: number, total?: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

/** 2.1M, 340k, 12: a rate short enough for one terminal line. */
export function formatRate(perS: number): string {
  if (perS >= 1e6) return `${(perS / 1e6).toFixed(1)}M`;
  if (perS >= 1e3) return `${(perS / 1e3).toFixed(0)}k`;
  return perS.toFixed(0);
}

export function progressBar(label: string, quiet: boolean, stream: NodeJS.WriteStream = process.stderr, unit = ''): Progress {
  if (quiet || !stream.isTTY || process.env.CI) return SILENT;
  let start = NaN; // the first update, so a bar made ahead of its stage times only the stage
  let lastDraw = 0;
  let lastTotal: number | undefined;
  let lastFraction = 0;
  const draw = (fraction: number, total = lastTotal): void => {
    lastTotal = total;
    if (Number.isNaN(start)) start = Date.now();
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const elapsedS = (Date.now() - start) / 1000;
    const etaS = fraction > 0 ? (elapsedS * (1 - fraction)) / fraction : NaN;
    const eta = Number.isFinite(etaS) ? `eta ${etaS.toFixed(0)}s` : '';
    const rate = total !== undefined && elapsedS > 0 ? `${formatRate((fraction * total) / elapsedS)}${unit ? ` ${unit}` : ''}/s ` : '';
    stream.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${elapsedS.toFixed(1)}s ${rate}${eta}   `);
  };
  return {
    update(fraction, total) {
      const now = Date.now();
      // A fraction that falls starts a pass of its own (the engine locating a log again): timed from here.
      if (Number.isNaN(start) || fraction < lastFraction) start = now;
      lastFraction = fraction;
      if (now - lastDraw < 100) return;
      lastDraw = now;
      draw(fraction, total);
    },
    done() {
      draw(1);
      stream.write('\n');
    },
  };
}
