// The bench scripts end on bad input as the ctsim CLI does (bench/entry/args.ts,
// bench/entry/exit.ts): one line naming the flag, exit code 2, no stack; a runtime
// failure is one line and exit code 1.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../engine/contract/input-error.ts';
import { numberFlag, strictArgs } from '../bench/entry/args.ts';
import { reportError } from '../bench/entry/exit.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function bench(script: string, args: string[], env: Record<string, string> = {}) {
  const { CTSIM_DEBUG: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['bin/run-ts.js', script, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...rest, ...env }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench script arguments', () => {
  it('an unknown flag to bench/studies/real-data/en-proximity.ts: one line naming it, exit 2', () => {
    const r = bench('bench/studies/real-data/en-proximity.ts', ['--pairs', 'hand-hand']);
    expect(r.stderr).toBe('bench/studies/real-data/en-proximity.ts: Unknown argument: pairs (see npm run bench:en -- --help)\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('an out-of-range value to bench/studies/contact-ceiling.ts: one line naming the flag and value, exit 2, before any run', () => {
    const r = bench('bench/studies/contact-ceiling.ts', ['--seeds', '1', '--sigmas', '0,-0.1']);
    expect(r.stderr).toBe("bench/studies/contact-ceiling.ts: --sigmas must be a number ≥ 0, got '0,-0.1' (see bench/studies/contact-ceiling.ts --help)\n");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a runtime failure (no real datasets) is one line and exit 1', () => {
    const r = bench('bench/studies/real-data/en-proximity.ts', [], { CTSIM_DATA: '/nonexistent/ctsim-data' });
    expect(r.stderr).toBe('bench/studies/real-data/en-proximity.ts: real datasets not found (looked in /nonexistent/ctsim-data; set CTSIM_DATA)\n');
    expect(r.status).toBe(1);
  });

  it('the shared parser turns a bad flag, a failed check and a bad value into InputErrors naming them', () => {
    const parse = (argv: string[]) => strictArgs('t', argv).options({ n: { type: 'number', default: 1 } }).check((a) => a.n !== 7 || '--n must not be 7').parseSync();
    expect(parse(['--n', '3']).n).toBe(3);
    expect(() => parse(['--m', '3'])).toThrow(new InputError('Unknown argument: m (see t --help)'));
    expect(() => parse(['--n', '7'])).toThrow(new InputError('--n must not be 7 (see t --help)'));
    expect(() => strictArgs('t', ['--x', 'c']).options({ x: { choices: ['a', 'b'] } }).parseSync()).toThrow(InputError);
  });

  it('a number flag given text names the text typed (yargs had turned it into NaN), checked or not, as a list or not', () => {
    const parse = (argv: string[]) => strictArgs('t', argv).options({
      n: { type: 'number' }, k: { type: 'number', coerce: numberFlag('--k', { min: 0, whole: true }) }, s: { type: 'number', array: true },
    }).parseSync();
    expect(() => parse(['--n', 'abc'])).toThrow(new InputError("--n must be a number, got 'abc' (see t --help)"));
    expect(() => parse(['--k=4x'])).toThrow(new InputError("--k must be a number, got '4x' (see t --help)"));
    expect(() => parse(['--k', '-1'])).toThrow(new InputError("--k must be a whole number ≥ 0, got '-1' (see t --help)"));
    expect(() => parse(['--s', '1', '--s', 'zz'])).toThrow(new InputError("--s must be a number, got 'zz' (see t --help)"));
    expect(parse(['--n', '2.5', '--k', '3', '--s', '1', '--s', '2'])).toMatchObject({ n: 2.5, k: 3, s: [1, 2] });
  });

  it('a flag that takes a value, given none, is named (yargs silently fell back to its default), a negative number is a value', () => {
    const parse = (argv: string[]) => strictArgs('t', argv).options({ n: { type: 'number', default: 1 }, o: { type: 'string' }, q: { type: 'boolean' } }).parseSync();
    expect(() => parse(['--n'])).toThrow(new InputError('--n needs a value (see t --help)'));
    expect(() => parse(['--o', '--q'])).toThrow(new InputError('--o needs a value (see t --help)'));
    expect(parse(['--n', '-3', '--q', '--o', 'x'])).toMatchObject({ n: -3, q: true, o: 'x' });
  });

  it('an error line never carries control characters to the terminal: a file name with an escape sequence is shown escaped', () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      expect(reportError('t', new InputError('bad\u001b[2J.csv: cannot read (ENOENT)'))).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe('t: bad\\u001b[2J.csv: cannot read (ENOENT)\n');
  });

  it('a flag given twice is refused by name, unless it is a list; a number flag\'s bounds are named', () => {
    const seedList = (v: unknown): number[] => String(v).split(',').map(Number);
    const parse = (argv: string[]) => strictArgs('t', argv).options({ out: { type: 'string' }, set: { type: 'string', array: true }, seeds: { type: 'string', coerce: seedList } }).parseSync();
    expect(() => parse(['--out', 'a', '--out', 'b'])).toThrow(new InputError('--out is given more than once (see t --help)'));
    expect(() => parse(['--out=a', '--out', 'b'])).toThrow(new InputError('--out is given more than once (see t --help)'));
    expect(parse(['--set', 'a=1', '--set', 'b=2']).set).toEqual(['a=1', 'b=2']);
    // A value that is a list of its own, given once, is not a flag given twice (bench studies' --seeds 1-5 was refused).
    expect(parse(['--seeds', '1,2']).seeds).toEqual([1, 2]);
    const bounded = (v: string) => strictArgs('t', ['--k', v]).options({ k: { type: 'number', coerce: numberFlag('--k', { min: 0, max: 10, whole: true }) } }).parseSync();
    expect(bounded('10').k).toBe(10);
    expect(() => bounded('11')).toThrow(new InputError("--k must be a whole number ≥ 0 and ≤ 10, got '11' (see t --help)"));
  });
});
