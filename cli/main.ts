// ctsim command line. Each command lives in its own file under cli/commands/.
// main() runs one command line and returns its exit code without exiting, so
// tests can run the CLI in-process; bin/ctsim.js is the only place that exits.
import { calibrateCommand } from './commands/calibrate.ts';
import { checkCommand } from './commands/check.ts';
import { locateCommand } from './commands/locate.ts';
import { mergeCommand } from './commands/merge.ts';
import { proximityCommand } from './commands/proximity.ts';
import { replayCommand } from './commands/replay.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { scenariosCommand } from './commands/scenarios.ts';
import { serveCommand } from './commands/serve.ts';
import { storeCommand } from './commands/store.ts';
import { sweepCommand } from './commands/sweep.ts';
import { traceCommand } from './commands/trace.ts';
import { twinCommand } from './commands/twin.ts';
import { strictArgs } from '../bench/entry/args.ts';
import { reportError } from '../bench/entry/exit.ts';

/**
 * Runs `ctsim <argv>` (argv without node and the script) and resolves to the
 * exit code: 0, or a command's own process.exitCode (a failed check), or,
 * after one `ctsim: ...` line on stderr, 2 for bad input and 1 for a runtime failure.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await strictArgs('ctsim', argv)
      .command(runCommand)
      .command(locateCommand)
      .command(proximityCommand)
      .command(scenariosCommand)
      .command(mergeCommand)
      .command(sweepCommand)
      .command(checkCommand)
      .command(reportCommand)
      .command(replayCommand)
      .command(serveCommand)
      .command(storeCommand)
      .command(traceCommand)
      .command(calibrateCommand)
      .command(twinCommand)
      .demandCommand(1, 'name a command (try --help)')
      .strictCommands()
      .parseAsync();
    return Number(process.exitCode ?? 0);
  } catch (err) {
    return reportError('ctsim', err);
  }
}
