// How every entry point (the ctsim CLI, the bench scripts) ends on an error:
// one line on stderr, `<name>: <message>`; exit code 2 for input the user
// must fix (an InputError: a bad flag or value, a malformed file), 1 for
// anything else; the stack only with CTSIM_DEBUG=1.
import { InputError } from '../../engine/contract/input-error.ts';

export const INPUT_EXIT_CODE = 2;
export const RUNTIME_EXIT_CODE = 1;

/** Writes the error's one line and returns its exit code (the ctsim CLI returns it to bin/ctsim.js, so tests can run it in-process). */
export function reportError(name: string, err: unknown): number {
  const e = err instanceof Error ? err : new Error(String(err));
  if (process.env.CTSIM_DEBUG) process.stderr.write(`${e.stack}\n`);
  // Folded to one line: yargs' own messages (e.g. for --x not among its choices) span several. Other control characters
  // (a file name holding an escape sequence) are shown as \u escapes, not sent to the terminal.
  const line = e.message.replace(/\s*\n\s*/g, ' ').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  process.stderr.write(`${name}: ${line}\n`);
  return e instanceof InputError ? INPUT_EXIT_CODE : RUNTIME_EXIT_CODE;
}

export function exitOnError(name: string, err: unknown): never {
  process.exit(reportError(name, err));
}
