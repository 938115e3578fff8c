// Scenario inputs that used to exhaust memory or spin forever are refused by
// `ctsim scenarios validate` in one line naming the field, exit 2: every
// numeric field has a range (scenarios/limits.ts), and a run whose tables
// would not fit this machine is refused before anything is built.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-bounds-'));
// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();

async function validate(change: (s: any) => void) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const s = structuredClone(office);
  change(s);
  const path = join(dir, 'bounds.json');
  writeFileSync(path, JSON.stringify(s));
  return await ctsim('scenarios', 'validate', path);
}

describe('scenario bounds', () => {
  it.each([
    ['a seat spacing of 0.1 mm (was a V8 fatal error)', (s: any) => (s.site.zones[2].seatSpacingM = 1e-4), /^ctsim: bounds\.json: site\.zones\[2\]\.seatSpacingM: must be at least 0\.3, got 0\.0001$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a duration of 1e300 s (spun silently)', (s: any) => (s.durationS = 1e300), /^ctsim: bounds\.json: durationS: must be at most 2678400, got 1e\+300$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a 1 µs emission interval', (s: any) => (s.devices['ble-badge'].intervalS = 1e-6), /^ctsim: bounds\.json: devices\.ble-badge\.intervalS: must be at least 0\.02, got 0\.000001$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a 1 mm survey spacing', (s: any) => (s.survey.spacingM = 0.001), /^ctsim: bounds\.json: survey\.spacingM: must be at least 0\.25, got 0\.001$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a shadowing correlation of 1 km', (s: any) => (s.radio.ble.shadowingDecorrelationM = 1000), /^ctsim: bounds\.json: radio\.ble\.shadowingDecorrelationM: must be at most 100, got 1000$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a million occupants', (s: any) => (s.population.count = 1e6), /^ctsim: bounds\.json: population\.count: must be at most 100000, got 1000000$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['1 ms visits', (s: any) => (s.population.roles[Object.keys(s.population.roles)[0]].visits = { kinds: ['meeting'], gapS: [0.001, 0.001], stayS: [0.001, 0.001] }), /visits\.gapS\[0\]: must be at least 1, got 0\.001$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a fine seat grid over a big zone', (s: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      s.site.floors[0].widthM = 1000; s.site.floors[0].heightM = 1000;
      s.site.zones[2].polygon = [[0, 14], [1000, 14], [1000, 1000], [0, 1000]];
      s.site.zones[2].seatSpacingM = 0.3;
    }, /^ctsim: bounds\.json: site\.zones\[2\]\.seatSpacingM: 0\.3 m lays about 1\.1\de\+7 seats over zone 'desks-north', more than 100,000$/],
    ['every range kept, but a month of 20 ms adverts', (s: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      s.durationS = 31 * 86400; s.devices['ble-badge'].intervalS = 0.02;
    }, /^ctsim: bounds\.json: devices\.ble-badge\.intervalS: about 6\.48e\+10 observations \(population\.count 60 over durationS 2678400\) need about [\d,.]+ GiB, more than this machine's [\d.]+ GiB of memory$/],
  ])('%s: one line naming the field, exit 2', async (_, change, message) => {
    const r = await validate(change);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });

  it('the library scenarios stay valid', async () => {
    for (const name of ['office', 'campus', 'retail']) expect((await ctsim('scenarios', 'validate', `scenarios/${name}.json`)).status).toBe(0);
  });

  it('--workers 1000 is refused before any thread starts', async () => {
    const r = await ctsim('run', '--scenario', 'office', '--workers', '1000', '--out', join(dir, 'w'), '--quiet');
    expect(r.stderr.trim()).toMatch(/^ctsim: --workers: run\.workers=1000: must be a whole number in \[0, 128\] \(see ctsim --help\)$/);
    expect(r.status).toBe(2);
  });
});
