// One radio's BSSIDs named in the site map (aps[].radioId): read, checked,
// and read once by the batch and the live engine alike, as the first the site
// map lists, whether or not the log shows them (engine/calibrate/same-radio.ts).
import { describe, expect, it } from 'vitest';
import { runEngine } from '../engine/run.ts';
import { LiveEngine } from '../engine/live/engine.ts';
import type { LiveEvent } from '../engine/live/events.ts';
import { parseSite } from '../engine/io/site-reader.ts';
import { ObservationColumns } from '../engine/contract/observation-columns.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { Site } from '../engine/contract/site.ts';
import { calibrationSummary } from '../reports/calibration-summary.ts';
import { lcg, makeSite, rssiAt } from './helpers/synthetic.ts';

/** makeSite's six APs and, last, a second BSSID of the first one's radio. */
function siteWithSecondBssid(): Site {
  const site = makeSite();
  const first = site.aps[0];
  site.aps[0] = { ...first, radioId: 'radio-1' };
  site.aps.push({ ...first, id: 'guest-network', radioId: 'radio-1' });
  return site;
}

/**
 * A phone walking the floor for 10 min, a scan every 4 s hearing every AP; the
 * second BSSID reads what its radio's first does (one antenna) and, with
 * `second`, is heard once more at the end so it is the best-heard of the two.
 */
function walk(site: Site, second: boolean): ObservationBatch {
  const rng = lcg(7), o = new ObservationColumns(), last = site.aps.length - 1;
  for (let k = 0; k < 150; k++) {
    const tMs = k * 4000, x = 2 + (k * 0.37) % 26, y = 2 + (k * 0.23) % 16;
    let firstDbm = 0;
    for (let a = 0; a < last; a++) {
      const v = Math.round(rssiAt(site.aps[a], x, y, 4 * rng.normal()));
      if (a === 0) firstDbm = v;
      o.push(tMs, 0, a, v);
    }
    if (second) o.push(tMs, 0, last, firstDbm);
  }
  if (second) o.push(150 * 4000, 0, last, -50);
  return o.toBatch([{ id: 'phone', tech: 'wifi' }]);
}

describe('aps[].radioId', () => {
  it('is read, and refused on an AP without Wi-Fi or where its radio stands elsewhere', () => {
    const raw = siteWithSecondBssid();
    expect(parseSite(raw, 'site.json').aps.map((a) => a.radioId ?? null)).toEqual(['radio-1', null, null, null, null, null, 'radio-1']);
    const bleOnly = { ...raw, aps: raw.aps.map((a, i) => (i === 6 ? { ...a, radios: { ble: { txPowerDbm: 0 } } } : a)) };
    expect(() => parseSite(bleOnly, 'site.json')).toThrow('site.json: aps[6].radioId names a Wi-Fi radio, but the AP has no radios.wifi');
    const elsewhere = { ...raw, aps: raw.aps.map((a, i) => (i === 6 ? { ...a, x: a.x + 1 } : a)) };
    expect(() => parseSite(elsewhere, 'site.json')).toThrow(`site.json: aps[6].radioId 'radio-1' is aps[0]'s radio ('ap0-5-5'), which stands elsewhere: one radio's BSSIDs share its floor, place and height`);
    expect(() => parseSite({ ...raw, aps: raw.aps.map((a, i) => (i === 6 ? { ...a, radioId: '' } : a)) }, 'site.json')).toThrow('site.json: aps[6].radioId must be a non-empty string');
  });

  it('a batch run reads the radio once, as the first the site map lists, though the log does not show it and the other is heard more', async () => {
    const site = siteWithSecondBssid();
    const config = { localize: { method: 'wls' as const }, calibrate: { sameRadioFromLog: false }, run: { workers: 0 } };
    const both = await runEngine(site, walk(site, true), config);
    const firstOnly = await runEngine(site, walk(site, false), config);
    const named = { groups: 1, left: 1, declared: 1, radios: [['ap0-5-5', 'guest-network']] };
    expect(both.calibrationSources.wifi?.sameRadio).toEqual(named);
    expect(firstOnly.calibrationSources.wifi?.sameRadio).toEqual(named);
    // A fix per 5 s epoch of the 10 min.
    expect(both.estimates.length).toBe(120);
    expect(Array.from(both.estimates.x)).toEqual(Array.from(firstOnly.estimates.x));
    expect(Array.from(both.estimates.errorRadiusM)).toEqual(Array.from(firstOnly.estimates.errorRadiusM));
    // Read as two APs, the radio counts twice and the fixes move.
    const plain = { ...site, aps: site.aps.map(({ radioId: _, ...ap }) => ap) };
    const twice = await runEngine(plain, walk(plain, true), config);
    expect(twice.calibrationSources.wifi?.sameRadio).toBeUndefined();
    expect(Array.from(twice.estimates.x)).not.toEqual(Array.from(both.estimates.x));
    expect(calibrationSummary(both.calibrationSources)).toContain("1 APs BSSIDs of another's radio (1 radios: 1 named by the site map's radioId): each radio read once, as the first the site map lists, or else its best-heard AP");
  });

  it('the live engine leaves the second BSSID\'s reports out too: its fixes are those without them', () => {
    const site = siteWithSecondBssid();
    const fixes = (log: ObservationBatch): LiveEvent[] => {
      const events: LiveEvent[] = [];
      const engine = new LiveEngine(site, { localize: { method: 'wls' } }, (e) => e.type === 'fix' && events.push(e));
      for (let i = 0; i < log.length; i++) engine.push(log.tMs[i], 'phone', 'wifi', log.apIdx[i], log.rssiDbm[i]);
      engine.end();
      return events;
    };
    const both = fixes(walk(site, true));
    expect(both.length).toBeGreaterThan(100);
    expect(both).toEqual(fixes(walk(site, false)));
  });
});
