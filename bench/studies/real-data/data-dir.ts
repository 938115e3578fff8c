// Where the shared real datasets live: $CTSIM_DATA, else ../shared/data next
// to the repository (or next to its worktree folder).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function dataDir(): string {
  const root = resolve(new URL('../../..', import.meta.url).pathname);
  const candidates = process.env.CTSIM_DATA ? [process.env.CTSIM_DATA] : [resolve(root, '../shared/data'), resolve(root, '../../shared/data')];
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`real datasets not found (looked in ${candidates.join(', ')}; set CTSIM_DATA)`);
  return found;
}
