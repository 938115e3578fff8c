// ctsim report: charts, a self-contained HTML file and a Markdown summary from run folders.
import type { CommandModule } from 'yargs';
import { buildReport } from '../../reports/report.ts';
import { checkOut } from '../out-option.ts';

interface ReportArgs {
  run: string[];
  sweep?: string;
  'bench-results': string;
  out?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'Render a report (HTML, SVG/PNG figures, Markdown summary) from run folders',
  builder: (y) =>
    y
      .option('run', { type: 'string', array: true, demandOption: true, describe: 'Run folder from `ctsim run`; repeat to compare runs' })
      .option('sweep', { type: 'string', describe: 'Sweep folder from `ctsim sweep`, for the precision/recall curves' })
      .option('bench-results', { type: 'string', default: 'bench/results', describe: 'Folder of benchmark result JSON files, for throughput curves (skipped when absent)' })
      .option('out', { type: 'string', describe: 'Output folder, replaced as a whole (default: <first run>/report)' })
      .check((a) => {
        checkOut(a.out);
        return true;
      }),
  handler: async (args) => {
    const out = args.out ?? `${args.run[0]}/report`;
    const files = await buildReport({
      runs: args.run, sweep: args.sweep, benchResults: args['bench-results'], out,
      onNote: (line) => process.stderr.write(`ctsim: ${line}\n`),
    });
    process.stdout.write(`Wrote ${files.html}, ${files.markdown} and ${files.figures.length} figures under ${out}/figures/\n`);
  },
};
