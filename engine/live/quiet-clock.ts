// Stream time on a quiet stream. The live engine's clock is its reports: an
// epoch is released once a report arrives latenessMs past its end, a hot-zone
// interval closes once a fix lands past it. When the reports stop (the site
// empties at night, an AP link drops) nothing would come out: the last
// epochs' fixes and the clear of an open hot-zone alert would wait for the
// next report. Once no report has arrived for quietMs of wall time, stream
// time is taken to run on with the wall clock from the newest report, and the
// engine is advanced to it. Off (0) in replay and in process, where the
// reports alone drive time, so replays stay deterministic.

/** Valid range of quietMs: 0 (off) or this many ms up to an hour. */
export const QUIET_MS_MIN = 1000, QUIET_MS_MAX = 3_600_000;

/** `name`: how the error names the setting (a CLI flag). */
export function checkQuietMs(quietMs: number, name = 'quietMs'): void {
  if (!(quietMs === 0 || (quietMs >= QUIET_MS_MIN && quietMs <= QUIET_MS_MAX))) {
    throw new Error(`${name} must be 0 (off) or in ${QUIET_MS_MIN}..${QUIET_MS_MAX} ms, got ${quietMs}`);
  }
}

export class QuietClock {
  private newestTMs = -Infinity;
  private lastArrivalWallMs = NaN;

  /** advance(tMs): stream time has reached tMs (LiveEngine.advanceTo). */
  constructor(private readonly advance: (tMs: number) => void, readonly quietMs: number) {
    checkQuietMs(quietMs);
  }

  /** Reports arrived at wall time wallMs, the newest of them at stream time newestTMs. */
  arrived(newestTMs: number, wallMs: number): void {
    if (newestTMs > this.newestTMs) this.newestTMs = newestTMs;
    this.lastArrivalWallMs = wallMs;
  }

  /** Called on a timer: once the stream has been quiet for quietMs, advances stream time with the wall clock. */
  tick(wallMs: number): void {
    if (this.quietMs === 0 || !Number.isFinite(this.newestTMs)) return;
    const quietForMs = wallMs - this.lastArrivalWallMs;
    if (quietForMs >= this.quietMs) this.advance(this.newestTMs + quietForMs);
  }
}
