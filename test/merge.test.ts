import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Float64, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { mergeShards } from '../bench/harness/merge.ts';
import { parseSeeds } from '../bench/harness/seeds.ts';
import { writeManifest, writeRows } from '../bench/harness/shard-folder.ts';
import { shardItems } from '../bench/harness/shard.ts';
import { RUN_FILES } from '../bench/harness/write-run.ts';
import { ctsim } from './helpers/cli.ts';
import { writeShortOffice } from './helpers/short-office.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? filesUnder(join(dir, e)) : [join(dir, e)]));
}

/** JSON with the wall-clock timing fields (the only ones that differ between identical runs) removed. */
function withoutTiming(text: string): unknown {
  return JSON.parse(text, (k, v) => (k === 'throughput' ? undefined : v));
}

describe('ctsim run --seeds --shard, then ctsim merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-shard-'));
  const scenario = writeShortOffice(dir, 'office-20min.json', 1200);

  it('merging shards 1/2 and 2/2 gives exactly the folder of one unsharded run', async () => {
    const whole = await ctsim('run', '--scenario', scenario, '--seeds', '1-3', '--out', join(dir, 'whole'), '--quiet');
    expect(whole.stderr).toBe('');
    expect(whole.status).toBe(0);
    for (const i of [1, 2]) {
      const r = await ctsim('run', '--scenario', scenario, '--seeds', '1-3', '--shard', `${i}/2`, '--out', join(dir, `shard-${i}`), '--quiet', '--workers', String(i - 1));
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readdirSync(join(dir, 'shard-1')).sort()).toEqual(['runs.json', 'seed-1', 'seed-3', 'shard.json']);
    expect(readdirSync(join(dir, 'shard-2')).sort()).toEqual(['runs.json', 'seed-2', 'shard.json']);
    const m = await ctsim('merge', join(dir, 'shard-2'), join(dir, 'shard-1'), '--out', join(dir, 'merged'));
    expect(m.stderr).toBe('');
    expect(m.stdout).toMatch(/Merged 2 shards \(3 units/);

    const wholeFiles = filesUnder(join(dir, 'whole')).map((f) => relative(join(dir, 'whole'), f)).sort();
    expect(filesUnder(join(dir, 'merged')).map((f) => relative(join(dir, 'merged'), f)).sort()).toEqual(wholeFiles);
    expect(wholeFiles.filter((f) => f.endsWith('.arrow'))).toHaveLength(3 * RUN_FILES.filter((f) => f.endsWith('.arrow')).length);
    for (const f of wholeFiles) {
      const a = readFileSync(join(dir, 'whole', f));
      const b = readFileSync(join(dir, 'merged', f));
      if (f.endsWith('.json')) expect(withoutTiming(b.toString()), f).toEqual(withoutTiming(a.toString()));
      else expect(a.equals(b), `${f} differs`).toBe(true);
    }
    const runs = JSON.parse(readFileSync(join(dir, 'merged', 'runs.json'), 'utf8'));
    expect(runs.map((r: { unit: string; seed: number }) => [r.unit, r.seed])).toEqual([['seed-1', 1], ['seed-2', 2], ['seed-3', 3]]);
    // Different seeds really are different runs.
    expect(runs[0].metrics.throughput.observations).not.toBe(runs[1].metrics.throughput.observations);

    const missing = await ctsim('merge', join(dir, 'shard-1'), '--out', join(dir, 'bad'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/^ctsim: missing shard 2\/2$/);
    const twice = await ctsim('merge', join(dir, 'shard-1'), join(dir, 'shard-1'), '--out', join(dir, 'bad'));
    expect(twice.stderr.trim()).toMatch(/shard 1\/2 given twice/);
  });

  it('rejects bad --seeds and --shard without --seeds with one line', async () => {
    const bad = await ctsim('run', '--scenario', scenario, '--seeds', '3-1', '--quiet');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--seeds.*'3-1'/);
    const lone = await ctsim('run', '--scenario', scenario, '--shard', '1/2', '--quiet');
    expect(lone.stderr).toMatch(/--shard.*--seeds/);
  });
});

describe('merge of unit-keyed tables (the sweep layout)', () => {
  /** A job of 5 units split into `count` shard folders, each with a JSON and an Arrow table of 2 rows per unit. */
  function writeShards(root: string, count: number): string[] {
    const units = ['p0', 'p1', 'p2', 'p3', 'p4'];
    return Array.from({ length: count }, (_, s) => {
      const dir = join(root, `shard-${s + 1}`);
      mkdirSync(dir, { recursive: true });
      const ran = shardItems(units, { index: s + 1, count });
      const unit = ran.flatMap((u) => [u, u]);
      const f1 = unit.map((u, r) => Number(u.slice(1)) * 10 + r % 2);
      writeFileSync(join(dir, 'points.arrow'), tableToIPC(new Table({ unit: vectorFromArray(unit, new Utf8()), f1: vectorFromArray(f1, new Float64()) }), 'file'));
      writeRows(dir, 'points', unit.map((u, r) => ({ unit: u, f1: f1[r] })));
      writeManifest(dir, { command: 'sweep', shard: { index: s + 1, count }, units, ran });
      return dir;
    });
  }

  it('reorders rows by unit and gives the unsharded tables byte for byte', () => {
    const root = mkdtempSync(join(tmpdir(), 'ctsim-merge-'));
    const [one] = writeShards(join(root, 'one'), 1);
    const three = writeShards(join(root, 'three'), 3);
    const summary = mergeShards(three, join(root, 'merged'));
    expect(summary).toEqual({ shards: 3, units: 5, tables: ['points.arrow', 'points.json'] });
    const t = tableFromIPC(readFileSync(join(root, 'merged', 'points.arrow')));
    expect(t.getChild('unit')!.toArray()).toEqual(['p0', 'p0', 'p1', 'p1', 'p2', 'p2', 'p3', 'p3', 'p4', 'p4']);
    expect(Array.from(t.getChild('f1')!.toArray())).toEqual([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]);
    for (const f of ['points.json', 'shard.json']) expect(readFileSync(join(root, 'merged', f), 'utf8'), f).toBe(readFileSync(join(one, f), 'utf8'));
    expect(mergeShards([one], join(root, 'merged-one')).units).toBe(5);
    expect(readFileSync(join(root, 'merged', 'points.arrow')).equals(readFileSync(join(root, 'merged-one', 'points.arrow')))).toBe(true);
  });

  it('names the shard whose table is missing or corrupt', () => {
    const root = mkdtempSync(join(tmpdir(), 'ctsim-merge-bad-'));
    const dirs = writeShards(root, 2);
    writeFileSync(join(dirs[1], 'points.arrow'), 'not arrow');
    expect(() => mergeShards(dirs, join(root, 'out'))).toThrow(/shard-2\/points\.arrow: not a readable Arrow/);
    writeFileSync(join(dirs[1], 'extra.json'), '[]');
    expect(() => mergeShards(dirs, join(root, 'out'))).toThrow(/shard-2: has tables \[extra\.json, points\.arrow, points\.json\]/);
  });
});

describe('parseSeeds', () => {
  it('reads ranges and lists, rejects the rest', () => {
    expect(parseSeeds('1-3,7')).toEqual([1, 2, 3, 7]);
    expect(parseSeeds('4')).toEqual([4]);
    for (const bad of ['', '1-', 'a', '5-2', '1,1']) expect(() => parseSeeds(bad), bad).toThrow(/--seeds/);
  });
});
