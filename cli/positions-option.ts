// --max-gap-s, for the commands that read the devices' true positions
// (bench/twin/positions.ts): calibrate, twin and locate --positions.
import { numberFlag } from '../bench/entry/args.ts';
import { DEFAULT_MAX_GAP_MS } from '../bench/twin/positions.ts';

export const MAX_GAP_OPTION = {
  type: 'number',
  default: DEFAULT_MAX_GAP_MS / 1000,
  coerce: numberFlag('--max-gap-s', { above: 0 }),
  describe: 'Position rows further apart than this are a gap in tracking, s',
} as const;
