// ctsim command line. Each command lives in its own file under cli/commands/.
// main() runs one command line and returns its exit code without exiting, so
// tests can run the CLI in-process; bin/ctsim.js is the only place that exits.
import yargs from 'yargs';
import { checkCommand } from './commands/check.ts';
import { locateCommand } from './commands/locate.ts';
import { mergeCommand } from './commands/merge.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { scenariosCommand } from './commands/scenarios.ts';
import { storeCommand } from './commands/store.ts';
import { sweepCommand } from './commands/sweep.ts';
import { traceCommand } from './commands/trace.ts';
import { InputError } from '../engine/contract/input-error.ts';

/** A bad flag, command or option value as yargs reports it: exit 2, never a stack trace. */
class UsageError extends Error {}

/**
 * Runs `ctsim <argv>` (argv without node and the script) and resolves to the
 * exit code: 0, 1 for a runtime failure (or a command's own process.exitCode),
 * 2 for bad input. A failure is written to stderr as one `ctsim: ...` line.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await yargs(argv)
      .scriptName('ctsim')
      .command(runCommand)
      .command(locateCommand)
      .command(scenariosCommand)
      .command(mergeCommand)
      .command(sweepCommand)
      .command(checkCommand)
      .command(reportCommand)
      .command(storeCommand)
      .command(traceCommand)
      .demandCommand(1, 'name a command (try --help)')
      .strict()
      .strictCommands()
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(`${msg} (see ctsim --help)`);
      })
      .help()
      .parseAsync();
    return Number(process.exitCode ?? 0);
  } catch (err) {
    const e = err as Error;
    if (process.env.CTSIM_DEBUG && !(e instanceof UsageError)) process.stderr.write(`${e.stack}\n`);
    process.stderr.write(`ctsim: ${e.message}\n`);
    if (e instanceof InputError || e instanceof UsageError) return 2;
    return process.exitCode && process.exitCode !== 0 ? Number(process.exitCode) : 1;
  }
}
