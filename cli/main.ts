// ctsim command line. Each command lives in its own file under cli/commands/.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './commands/check.ts';
import { locateCommand } from './commands/locate.ts';
import { mergeCommand } from './commands/merge.ts';
import { replayCommand } from './commands/replay.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { scenariosCommand } from './commands/scenarios.ts';
import { serveCommand } from './commands/serve.ts';
import { storeCommand } from './commands/store.ts';
import { sweepCommand } from './commands/sweep.ts';
import { traceCommand } from './commands/trace.ts';
import { InputError } from '../engine/contract/input-error.ts';

function fail(message: string): never {
  process.stderr.write(`ctsim: ${message}\n`);
  process.exit(process.exitCode && process.exitCode !== 0 ? process.exitCode : 1);
}

try {
  await yargs(hideBin(process.argv))
    .scriptName('ctsim')
    .command(runCommand)
    .command(locateCommand)
    .command(scenariosCommand)
    .command(mergeCommand)
    .command(sweepCommand)
    .command(checkCommand)
    .command(reportCommand)
    .command(replayCommand)
    .command(serveCommand)
    .command(storeCommand)
    .command(traceCommand)
    .demandCommand(1, 'name a command (try --help)')
    .strict()
    .strictCommands()
    .fail((msg, err) => {
      if (err) throw err;
      process.exitCode = 2;
      fail(`${msg} (see ctsim --help)`);
    })
    .help()
    .parseAsync();
} catch (err) {
  const e = err as Error;
  if (e instanceof InputError) process.exitCode = 2;
  if (process.env.CTSIM_DEBUG) process.stderr.write(`${e.stack}\n`);
  fail(e.message);
}
