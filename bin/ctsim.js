#!/usr/bin/env node
import { register } from 'tsx/esm/api';
import { hideBin } from 'yargs/helpers';

register();
const { main } = await import('../cli/main.ts');
const code = await main(hideBin(process.argv));
// A failure exits at once (a worker pool or store left open must not keep it alive); success ends naturally.
if (code !== 0) process.exit(code);
