#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: tsx's loader is
// registered for this thread, and piscina workers load through engine/pipeline/worker-entry.js.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [entry, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(resolve(entry)).href);
