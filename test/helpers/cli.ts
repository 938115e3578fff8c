// Runs the ctsim CLI: in-process by default (cli/main.ts's main, with stdout,
// stderr and the exit code captured), or as a real child process where the
// process boundary is what a test checks (the binary's exit status, no stack trace).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';

const BIN = fileURLToPath(new URL('../../bin/ctsim.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

type Write = typeof process.stdout.write;

/** `ctsim ...args` in this process: what it wrote to stdout and stderr, and the code bin/ctsim.js would exit with. */
export async function ctsim(...args: string[]): Promise<CliResult> {
  const out: string[] = [], err: string[] = [];
  const capture = (into: string[]): Write => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as Write;
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, ci: process.env.CI, exitCode: process.exitCode };
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.env.CI = '1'; // as in the child: no progress bars
  process.exitCode = undefined;
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    if (saved.ci === undefined) delete process.env.CI;
    else process.env.CI = saved.ci;
    process.exitCode = saved.exitCode;
  }
}

/** `ctsim ...args` as a user runs it: node bin/ctsim.js in a child process. */
export function ctsimProcess(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
