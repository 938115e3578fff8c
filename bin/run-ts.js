#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: tsx's loader is
// registered for this thread, and piscina workers load through engine/pipeline/worker-entry.js.
// Whatever the entry point throws ends as the CLI's errors do (bench/entry/exit.ts):
// one line naming the script, exit 2 for bad input, 1 otherwise.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { relative, resolve } from 'node:path';

register();
const [entry, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], entry, ...rest];
const { exitOnError } = await import('../bench/entry/exit.ts');
try {
  await import(pathToFileURL(resolve(entry)).href);
} catch (err) {
  exitOnError(relative(process.cwd(), resolve(entry)), err);
}
