// ctsim scenarios: list the built-in scenarios, or check a user's file.
import type { CommandModule } from 'yargs';
import { listScenarios, loadScenario } from '../../scenarios/load.ts';
import { formatTable } from '../../reports/table.ts';

export const scenariosCommand: CommandModule = {
  command: 'scenarios',
  describe: 'List the built-in scenarios, or validate a scenario file',
  builder: (y) =>
    y.command(
      'validate <file>',
      'Check a scenario file; prints one line naming the first problem',
      (v) => v.positional('file', { type: 'string', demandOption: true, describe: 'Scenario JSON file' }),
      (args) => {
        const s = loadScenario(String(args.file));
        process.stdout.write(
          `${args.file}: valid (${s.site.floors.length} floor(s), ${s.site.aps.length} APs, ${s.site.zones.length} zones, ${s.population.count} people, ${s.durationS} s)\n`,
        );
      },
    ),
  handler: () => {
    const rows = listScenarios().map((s) => [s.name, s.description]);
    process.stdout.write(`${formatTable(['scenario', 'description'], rows)}\n`);
  },
};
