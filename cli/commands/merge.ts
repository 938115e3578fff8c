// ctsim merge: shard folders of one `run --seeds ... --shard i/n` (or sweep) job in, the single-run folder out.
import type { CommandModule } from 'yargs';
import { mergeShards } from '../../bench/harness/merge.ts';
import { checkOut } from '../out-option.ts';

interface MergeArgs {
  shards: string[];
  out: string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <shards..>',
  describe: 'Combine the shard folders of a sharded run or sweep into the folder one unsharded run writes',
  builder: (y) =>
    y
      .positional('shards', { type: 'string', array: true, demandOption: true, describe: 'Shard folders (each with a shard.json), all n of them' })
      .option('out', { type: 'string', demandOption: true, describe: 'Merged output folder (replaced as a whole)' })
      .check((a) => {
        checkOut(a.out);
        return true;
      }),
  handler: (args) => {
    const s = mergeShards(args.shards, args.out);
    process.stdout.write(`Merged ${s.shards} shards (${s.units} units; tables: ${s.tables.join(', ') || 'none'}) into ${args.out}/\n`);
  },
};
