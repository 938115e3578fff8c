import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatRate, progressBar } from '../cli/progress.ts';

function fakeTty(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('progress bar', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('shows percent, rate and ETA on a TTY, timed from its first update', () => {
    vi.stubEnv('CI', '');
    vi.useFakeTimers({ now: 0 });
    const { stream, text } = fakeTty(true);
    const bar = progressBar('engine', false, stream, 'obs');
    vi.setSystemTime(60_000); // made a minute before its stage starts: not counted
    bar.update(0, 4_000_000);
    vi.setSystemTime(62_000);
    bar.update(0.5, 4_000_000);
    expect(text()).toMatch(/engine +\[#{12}-{12}\]  50% 2\.0s 1\.0M obs\/s eta 2s/);
    bar.done();
    expect(text().endsWith('\n')).toBe(true);
  });

  it('times a second pass (its fraction falling back) from its own start', () => {
    vi.stubEnv('CI', '');
    vi.useFakeTimers({ now: 0 });
    const { stream, text } = fakeTty(true);
    const bar = progressBar('locate', false, stream);
    bar.update(0);
    vi.setSystemTime(10_000);
    bar.update(1);
    vi.setSystemTime(11_000);
    bar.update(0.1);
    vi.setSystemTime(12_000);
    bar.update(0.5);
    expect(text()).toMatch(/locate +\[#{12}-{12}\]  50% 1\.0s eta 1s/);
  });

  it('is silent when piped, in CI or with --quiet', () => {
    for (const [tty, ci, quiet] of [[false, '', false], [true, '1', false], [true, '', true]] as const) {
      vi.stubEnv('CI', ci);
      const { stream, text } = fakeTty(tty);
      const bar = progressBar('engine', quiet, stream);
      bar.update(0.5, 10);
      bar.done();
      expect(text()).toBe('');
    }
  });

  it('formats rates compactly', () => {
    expect([formatRate(2_140_000), formatRate(340_400), formatRate(12.4)]).toEqual(['2.1M', '340k', '12']);
  });
});
