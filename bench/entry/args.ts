// The one command-line parser of every entry point (the ctsim CLI and each
// bench script): yargs with strict options, so an unknown flag, a value of
// the wrong kind or out of range, or a failed check is an InputError naming
// it (one line, exit code 2 through bench/entry/exit.ts), never a stack trace.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../../engine/contract/input-error.ts';
import { quote } from '../../engine/contract/quote.ts';

/** A command-line error already worded by the parser below (yargs may hand it back to the parser a second time). */
class UsageError extends InputError {}

/** A strict parser for the entry point `name` (as its help and errors call it) over `argv` (default: this process's arguments). */
export function strictArgs(name: string, argv: readonly string[] = hideBin(process.argv)): Argv {
  const parser: Argv = yargs([...argv]);
  return parser
    .scriptName(name)
    // A flag given twice comes back as a list: refused by name, unless it is one (--set, --effect, ...).
    .check((args) => {
      // yargs keeps the declared list and number flags in getOptions(), which its types leave out.
      const declared = (parser as unknown as { getOptions(): { array: string[]; number: string[]; string: string[] } }).getOptions();
      // A flag that takes a value, given none (last on the line, or right before another flag): yargs would drop it for its default.
      const valued = new Set([...declared.number, ...declared.string]);
      const bare = argv.findIndex((a, i) => a.startsWith('--') && valued.has(a.slice(2)) && (i + 1 === argv.length || argv[i + 1].startsWith('--')));
      if (bare >= 0) throw new Error(`${argv[bare]} needs a value`);
      // Counted on the command line: a flag's value may be a list of its own (--seeds 1-5).
      const lists = new Set(declared.array);
      const flags = argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
      const twice = flags.find((f, i) => !lists.has(f) && flags.indexOf(f) !== i);
      if (twice !== undefined) throw new Error(`--${twice} is given more than once`);
      // yargs reads a number flag's text as NaN before anything sees it: name what was typed.
      const notNumber = declared.number.find((k) => [args[k]].flat().some((v) => Number.isNaN(v)));
      if (notNumber !== undefined) throw new Error(`--${notNumber} must be a number, got ${quote(givenText(argv, notNumber) ?? 'nothing')}`);
      return true;
    }, true)
    .strict()
    .help()
    .fail((msg, err) => {
      // No message: a command's handler threw, and its error is its own. Otherwise the command line is at fault.
      if ((msg === null && err) || err instanceof UsageError) throw err;
      throw new UsageError(`${msg ?? err.message} (see ${name} --help)`);
    });
}

/** The text given for --`flag` in `argv` (`--flag text` or `--flag=text`; the last when repeated). */
function givenText(argv: readonly string[], flag: string): string | undefined {
  let text: string | undefined;
  argv.forEach((a, i) => {
    if (a === `--${flag}`) text = argv[i + 1];
    else if (a.startsWith(`--${flag}=`)) text = a.slice(flag.length + 3);
  });
  return text;
}

/** True when the module at `moduleUrl` is the one this process was started with (bin/run-ts.js sets argv[1] to it), not an import. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
}

interface NumberRule {
  /** Smallest value allowed (inclusive). */
  min?: number;
  /** Largest value allowed (inclusive). */
  max?: number;
  /** Values must be greater than this. */
  above?: number;
  whole?: boolean;
}

function checkNumber(flag: string, x: number, rule: NumberRule, given: unknown): number {
  const ok = Number.isFinite(x) && (rule.min === undefined || x >= rule.min) && (rule.max === undefined || x <= rule.max)
    && (rule.above === undefined || x > rule.above) && (!rule.whole || Number.isInteger(x));
  if (ok) return x;
  const range = [rule.min !== undefined ? `≥ ${rule.min}` : '', rule.above !== undefined ? `> ${rule.above}` : '', rule.max !== undefined ? `≤ ${rule.max}` : ''].filter(Boolean).join(' and ');
  throw new Error(`${flag} must be ${rule.whole ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}, got '${String(given)}'`);
}

/** yargs `coerce` for a number flag: its value checked against `rule` (text that is no number is left to strictArgs, which can name it). */
export const numberFlag = (flag: string, rule: NumberRule = {}) => (v: unknown): number => (Number.isNaN(v) ? NaN : checkNumber(flag, Number(v), rule, v));

/** yargs `coerce` for a comma-separated list of numbers (`1000,2500`), each checked against `rule`. */
export const numberListFlag = (flag: string, rule: NumberRule = {}) => (v: unknown): number[] =>
  String(v).split(',').map((s) => checkNumber(flag, s.trim() === '' ? NaN : Number(s), rule, v));

/** yargs `coerce` for a comma-separated list of words (`micro,macro`); pair it with `choices` to name the allowed ones. */
export const wordListFlag = (v: unknown): string[] => String(v).split(',').map((s) => s.trim());

/** yargs `coerce` for a JSON value. */
export const jsonFlag = (flag: string) => (v: unknown): unknown => {
  try {
    return JSON.parse(String(v));
  } catch (err) {
    throw new Error(`${flag} must be JSON: ${(err as Error).message}`);
  }
};
