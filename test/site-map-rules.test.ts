// A plain site map (`ctsim locate --site`) obeys the rules a scenario's site
// does, from one copy of them (engine/contract/site-rules.ts): it accepted
// duplicate floor and zone ids, zones of fewer than 3 points, APs off their
// floor and negative wall loss. Each is one line naming the field, exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSite } from '../engine/io/site-reader.ts';
import { ctsim } from './helpers/cli.ts';
import { makeSite } from './helpers/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-site-rules-'));
const zone = (id: string, polygon: number[][]) => ({ id, name: id, floor: 0, polygon, capacity: 4 });

async function locateOn(site: object) {
  const path = join(dir, 'site.json');
  writeFileSync(path, JSON.stringify(site));
  return await ctsim('locate', '--site', path, '--observations', join(dir, 'none.csv'), '--quiet');
}

describe('plain site maps', () => {
  const base = () => ({ ...makeSite(2), zones: [zone('a', [[0, 0], [5, 0], [5, 5]])] });
  it.each([
    ['a duplicate floor id', (s: any) => (s.floors[1].id = 0), /site\.json: floors\[1\]\.id duplicate floor id 0$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a duplicate zone id', (s: any) => s.zones.push(zone('a', [[6, 6], [9, 6], [9, 9]])), /site\.json: zones\[1\]\.id duplicate zone id 'a'$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a zone of 2 points', (s: any) => (s.zones[0].polygon = [[0, 0], [5, 5]]), /site\.json: zones\[0\]\.polygon needs at least 3 points, got 2$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a zone crossing itself', (s: any) => (s.zones[0].polygon = [[0, 0], [5, 5], [5, 0], [0, 5]]), /site\.json: zones\[0\]\.polygon crosses itself \(edge 0-1 with edge 2-3\): list its points in order around it$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a zone of points on one line', (s: any) => (s.zones[0].polygon = [[0, 0], [1, 1], [2, 2]]), /site\.json: zones\[0\]\.polygon encloses no area \(its points lie on one line\)$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an AP off its floor', (s: any) => (s.aps[2].x = 31), /site\.json: aps\[2\] \(31, 5\) lies outside floor 0 \(30 × 20 m\)$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a zone off its floor', (s: any) => (s.zones[0].polygon[1] = [40, 0]), /site\.json: zones\[0\] \(40, 0\) lies outside floor 0 \(30 × 20 m\)$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a negative wall loss', (s: any) => s.walls.push({ floor: 0, x1: 1, y1: 1, x2: 2, y2: 2, material: 'glass', lossDb: -3 }), /site\.json: walls\[0\]\.lossDb must be at least 0 and at most 100 dB, got -3$/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('%s: one line naming the field, exit 2', async (_, change, message) => {
    const site = base();
    change(site);
    const r = await locateOn(site);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });

  // Optional fields given with the wrong type were replaced by their defaults (a floor's elevation '3' read as 0 m).
  it.each([
    ['an elevation given as text', (s: any) => (s.floors[0].elevationM = '3'), /^site\.json: floors\[0\]\.elevationM must be a number$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a fractional floor id', (s: any) => (s.floors[1].id = 1.5), /^site\.json: floors\[1\]\.id must be a whole number$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a wall material that is no name', (s: any) => s.walls.push({ floor: 0, x1: 1, y1: 1, x2: 2, y2: 2, material: 7, lossDb: 3 }), /^site\.json: walls\[0\]\.material must be a non-empty string$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a negative zone capacity', (s: any) => (s.zones[0].capacity = -2), /^site\.json: zones\[0\]\.capacity must be at least 0, got -2$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a fractional zone capacity', (s: any) => (s.zones[0].capacity = 2.5), /^site\.json: zones\[0\]\.capacity must be a whole number$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an AP id holding an escape sequence', (s: any) => (s.aps[0].id = 'ap\u001b[2J'), /^site\.json: aps\[0\]\.id must not hold control characters \(U\+001B at 2\)$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a wall of no length', (s: any) => s.walls.push({ floor: 0, x1: 4, y1: 3, x2: 4, y2: 3, lossDb: 3 }), /^site\.json: walls\[0\] starts and ends at the same point \(4, 3\)$/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('%s is named, not read as its default', (_, change, message) => {
    const site = base();
    expect(() => parseSite(site, 'site.json')).not.toThrow();
    change(site);
    expect(() => parseSite(site, 'site.json')).toThrow(message);
  });

  it('the scenario validator gives the same rule the same words', async () => {
    const office = JSON.parse(readFileSync('scenarios/office.json', 'utf8'));
    office.site.zones[1].id = office.site.zones[0].id;
    const path = join(dir, 'dup.json');
    writeFileSync(path, JSON.stringify(office));
    const r = await ctsim('scenarios', 'validate', path);
    expect(r.stderr.trim()).toBe(`ctsim: dup.json: site.zones[1].id: duplicate zone id '${office.site.zones[0].id}'`);
    expect(r.status).toBe(2);
  });
});
