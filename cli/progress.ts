// A progress line with rate and ETA on an interactive terminal; silent in CI,
// when piped, or with --quiet.
export interface Progress {
  update(fraction: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

export function progressBar(label: string, quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !stream.isTTY || process.env.CI) return SILENT;
  const start = Date.now();
  let lastDraw = 0;
  const draw = (fraction: number): void => {
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const elapsedS = (Date.now() - start) / 1000;
    const etaS = fraction > 0 ? (elapsedS * (1 - fraction)) / fraction : NaN;
    const eta = Number.isFinite(etaS) ? `eta ${etaS.toFixed(0)}s` : '';
    stream.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${elapsedS.toFixed(1)}s ${eta}   `);
  };
  return {
    update(fraction) {
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      draw(fraction);
    },
    done() {
      draw(1);
      stream.write('\n');
    },
  };
}
