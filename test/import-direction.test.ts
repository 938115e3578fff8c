// Imports point one way (README, Layout): cli → bench → reports →
// reports/schemas → engine, sim, scenarios, and bench/entry (shared by cli
// and bench) imports nothing else of bench, reports or cli. A folder may skip
// a level, never import upwards. (engine-boundary.test.ts holds the engine's own rule.)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Each folder and the folders (or subfolders) it must not import from. */
const FORBIDDEN: Record<string, string[]> = {
  bench: ['cli'],
  reports: ['cli', 'bench'],
  'reports/schemas': ['cli', 'bench', 'reports/'],
  'bench/entry': ['cli', 'bench/', 'reports', 'sim', 'scenarios'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

it('no folder imports from a folder above it', () => {
  const upward: string[] = [];
  let files = 0;
  for (const [folder, above] of Object.entries(FORBIDDEN)) {
    for (const file of sourceFiles(join(ROOT, folder))) {
      files++;
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(ROOT, resolve(dirname(file), spec));
        // 'x' forbids the folder x; 'x/' forbids x's other files and folders, the importer's own folder aside.
        const forbidden = above.some((a) => (a.endsWith('/') ? target.startsWith(a) && !target.startsWith(`${folder}/`) : target === a || target.startsWith(`${a}/`)));
        if (forbidden) upward.push(`${relative(ROOT, file)} -> ${target}`);
      }
    }
  }
  expect(files).toBeGreaterThan(50);
  expect(upward).toEqual([]);
});
