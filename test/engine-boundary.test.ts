// The house rules on imports, read from the source: the engine never sees
// ground truth, so it imports nothing from outside engine/; world (sim/,
// scenarios/) and engine share only engine/contract/; nothing imports up
// from bench/ or reports/ into cli/; and no files import each other in a loop.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIP = new Set(['node_modules', 'out', 'runs', '.cache']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.') || SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : /\.(ts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

/** Project-relative paths ('engine/run.ts') of the files each file imports by a relative specifier (static, re-export, dynamic or bare import; type-only too). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    // Comment lines and blocks go first: prose may quote an import.
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const specifiers = [
      ...text.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
      ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
      ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ].map((m) => m[1]);
    const targets = specifiers.filter((s) => s.startsWith('.')).map((s) => resolveImport(file, s));
    graph.set(projectPath(file), [...new Set(targets)]);
  }
  return graph;
}

function resolveImport(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const found = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find((p) => existsSync(p) && /\.(ts|js|mjs)$/.test(p));
  return projectPath(found ?? base);
}

const projectPath = (abs: string): string => relative(ROOT, abs).split(sep).join('/');

/** The import loops of a graph, each as the files around it (first file repeated at the end); a loop is reported once. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

const graph = importGraph(sourceFiles(ROOT));
const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);
/** Imports from files under `from` to files that `forbidden` says no to, as 'a -> b' lines. */
const offending = (from: (path: string) => boolean, forbidden: (target: string) => boolean): string[] =>
  [...graph].flatMap(([file, targets]) => (from(file) ? targets.filter(forbidden).map((t) => `${file} -> ${t}`) : []));

describe('import boundaries', () => {
  it('reads imports of every kind from the source', () => {
    expect([...graph.keys()].filter(under('engine')).length).toBeGreaterThan(50);
    expect(graph.get('sim/simulate.ts')).toContain('engine/contract/observation-columns.ts'); // static
    expect(graph.get('bench/studies/real-data/en-proximity.ts')).toContain('bench/studies/real-data/en-eval.ts'); // over several lines
    expect(graph.get('sim/truth-thread-entry.js')).toEqual(['sim/truth-thread.ts']); // dynamic
    expect(graph.get('engine/localize/types.ts')).toContain('engine/calibrate/radio-map.ts'); // type-only
  });

  it('engine/ imports nothing outside engine/', () => {
    expect(offending(under('engine'), (t) => !under('engine')(t))).toEqual([]);
  });

  it('engine/contract/ imports only the contract', () => {
    expect(offending(under('engine/contract'), (t) => !under('engine/contract')(t))).toEqual([]);
  });

  it('sim/ and scenarios/ take from engine/ only the contract', () => {
    const world = (f: string) => under('sim')(f) || under('scenarios')(f);
    expect(offending(world, (t) => under('engine')(t) && !under('engine/contract')(t))).toEqual([]);
  });

  it('bench/ and reports/ never import cli/', () => {
    expect(offending((f) => under('bench')(f) || under('reports')(f), under('cli'))).toEqual([]);
  });

  it('no files import each other in a loop', () => {
    expect(importCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });
});

describe('the loop finder', () => {
  it('finds a loop and only a loop', () => {
    const g = new Map([['a', ['b']], ['b', ['c', 'd']], ['c', ['a']], ['d', []], ['e', ['d']]]);
    expect(importCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(importCycles(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]]))).toEqual([]);
  });
});
