// The one rule: the engine never sees ground truth, so it imports nothing from the harness.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ENGINE = fileURLToPath(new URL('../engine', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

it('no engine file imports from sim/, bench/, reports/, scenarios/ or cli/', () => {
  const files = sourceFiles(ENGINE);
  expect(files.length).toBeGreaterThan(5);
  const offenders = files.filter((f) =>
    /(from|import)\s*\(?\s*['"](\.\.\/)+(sim|bench|reports|scenarios|cli)\//.test(readFileSync(f, 'utf8')),
  );
  expect(offenders).toEqual([]);
});
