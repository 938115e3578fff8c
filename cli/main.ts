// ctsim command line. Each command lives in its own file under cli/commands/.
import { checkCommand } from './commands/check.ts';
import { locateCommand } from './commands/locate.ts';
import { mergeCommand } from './commands/merge.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { scenariosCommand } from './commands/scenarios.ts';
import { storeCommand } from './commands/store.ts';
import { sweepCommand } from './commands/sweep.ts';
import { traceCommand } from './commands/trace.ts';
import { strictArgs } from '../bench/entry/args.ts';
import { exitOnError } from '../bench/entry/exit.ts';

try {
  await strictArgs('ctsim')
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
    .strictCommands()
    .parseAsync();
} catch (err) {
  exitOnError('ctsim', err);
}
