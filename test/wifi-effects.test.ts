// Wi-Fi as APs really hear it (sim/radio/wifi-*.ts) against its sources (no
// Wi-Fi capture in ../shared/data, so the sources are the vendor documents and
// studies cited beside each default), then switched on in a simulated office.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessPoint } from '../engine/contract/site.ts';
import { Rng } from '../sim/rng.ts';
import { simulate } from '../sim/simulate.ts';
import { BandListening, PLAN_DEFAULTS, planChannels } from '../sim/radio/wifi-channels.ts';
import { wifiNetworks } from '../sim/radio/wifi-client.ts';
import { REPORT_DEFAULTS, ReportSummaries, reportPhasesMs, reportTimeMs } from '../sim/radio/wifi-reports.ts';
import { roam, ROAMING_DEFAULTS } from '../sim/radio/wifi-roaming.ts';
import { PhoneTraffic, TRAFFIC_DEFAULTS } from '../sim/radio/wifi-traffic.ts';
import { shortOffice } from './helpers/short-office.ts';

const office = shortOffice();
const flat = () => 0;

describe('channel plan', () => {
  it('gives the office APs only 1/6/11 at 2.4 GHz, no AP its nearest neighbour\'s channel, and 8 distinct 5 GHz channels', () => {
    const aps = office.site.aps;
    const plan = planChannels(aps, flat, PLAN_DEFAULTS['2.4'].serving);
    expect([...plan].every((ch) => [1, 6, 11].includes(ch))).toBe(true);
    aps.forEach((ap, a) => {
      const nearest = aps.map((o, b) => ({ b, d: b === a ? Infinity : Math.hypot(o.x - ap.x, o.y - ap.y) })).sort((p, q) => p.d - q.d)[0].b;
      expect(plan[nearest], `${ap.id} and ${aps[nearest].id}`).not.toBe(plan[a]);
    });
    const plan5 = planChannels(aps, flat, PLAN_DEFAULTS['5'].serving);
    expect(new Set(plan5).size).toBe(aps.length);
  });

  it('leaves APs without a Wi-Fi radio out', () => {
    const aps: AccessPoint[] = [
      { id: 'a', floor: 0, x: 0, y: 0, radios: { ble: { txPowerDbm: 0 } } },
      { id: 'b', floor: 0, x: 5, y: 0, radios: { wifi: { txPowerDbm: 18 } } },
    ];
    expect([...planChannels(aps, flat, [1, 6, 11])]).toEqual([-1, 1]);
  });
});

describe('off-channel scanning (Cisco RRM: 50 ms per channel, each of the 11 US 2.4 GHz channels once per 180 s)', () => {
  const listening = new BandListening(office.site.aps, flat, PLAN_DEFAULTS['2.4'], 1, '2.4');

  it('is off its channel 50 ms every 180/11 ≈ 16 s, and on each other channel 50 ms per 180 s', () => {
    const own = listening.channelOf[0];
    const visits = new Map<number, number>();
    let offMs = 0;
    const stepMs = 5;
    const spanMs = 3 * 180_000;
    for (let t = 0; t < spanMs; t += stepMs) {
      const ch = listening.listeningAt(0, t);
      if (ch === own) continue;
      offMs += stepMs;
      visits.set(ch, (visits.get(ch) ?? 0) + stepMs);
    }
    // 10 other channels × 50 ms per 180 s: 0.28 % of the time.
    expect(offMs / spanMs).toBeCloseTo((10 * 50) / 180_000, 4);
    expect(visits.size).toBe(10);
    for (const [ch, ms] of visits) expect(ms, `channel ${ch}`).toBe(3 * 50);
  });
});

describe('roaming (Apple HT203068: trigger −70 dBm; candidate 8 dB stronger with data, 12 dB idle)', () => {
  const p = ROAMING_DEFAULTS;
  it('stays while its AP is above the trigger, however strong another', () => {
    expect(roam(2, -69, 5, -40, true, p)).toBe(2);
  });
  it('below the trigger moves to a candidate ≥ 8 dB stronger when active, ≥ 12 dB when idle', () => {
    expect(roam(2, -72, 5, -64, true, p)).toBe(5);
    expect(roam(2, -72, 5, -65, true, p)).toBe(2);
    expect(roam(2, -72, 5, -60, false, p)).toBe(5);
    expect(roam(2, -72, 5, -61, false, p)).toBe(2);
  });
  it('joins the strongest when it has no AP, and has none when it hears none', () => {
    expect(roam(-1, -Infinity, 3, -80, true, p)).toBe(3);
    expect(roam(-1, -Infinity, -1, -Infinity, true, p)).toBe(-1);
  });
});

describe('traffic by use (sessions 115 s every ~1500 s: dscout 2016, Hintze et al. 2017; idle frame every 20 s)', () => {
  it('a week of one phone: a session every ~1515 s of ~115 s at a frame a second, ~3 frames a minute idle', () => {
    const traffic = new PhoneTraffic(TRAFFIC_DEFAULTS, new Rng(7, 'traffic-test'), 0);
    const spanS = 7 * 86_400;
    let t = 0, activeFrames = 0, idleFrames = 0, sessions = 0, wasActive = traffic.active;
    while (t < spanS * 1000) {
      t = traffic.nextFrameMs(t);
      if (traffic.active && !wasActive) sessions++;
      if (traffic.active) activeFrames++;
      else idleFrames++;
      wasActive = traffic.active;
    }
    const { activeMeanS, idleMeanS, idleFrameGapS } = TRAFFIC_DEFAULTS;
    const expectedSessions = spanS / (activeMeanS + idleMeanS);
    expect(Math.abs(sessions / expectedSessions - 1)).toBeLessThan(0.1);
    // A session's frames: the one it starts with, then one a second.
    expect(Math.abs(activeFrames / sessions / (1 + activeMeanS) - 1)).toBeLessThan(0.1);
    const idleS = spanS * (idleMeanS / (activeMeanS + idleMeanS));
    expect(Math.abs(idleFrames / (idleS / idleFrameGapS) - 1)).toBeLessThan(0.05);
  });
});

describe('AP reports (one summary per client per interval, at the interval\'s end)', () => {
  it('summarizes an interval by its mean (rounded) or its maximum, stamped at the AP\'s interval end', () => {
    const phases = Float64Array.of(3000);
    const rows: number[][] = [];
    const emit = (tMs: number, d: number, ap: number, rssi: number) => rows.push([tMs, d, ap, rssi]);
    const mean = new ReportSummaries({ intervalMs: 10_000, statistic: 'mean' }, phases);
    const max = new ReportSummaries({ intervalMs: 10_000, statistic: 'max' }, phases);
    for (const [t, rssi] of [[3000, -70], [8000, -75], [12_999, -61], [13_000, -80]]) {
      mean.add(t, 4, 0, rssi, emit);
      max.add(t, 4, 0, rssi, emit);
    }
    // The frame at 13 000 ms opens the next interval and closes the first.
    expect(rows).toEqual([[13_000, 4, 0, -69], [13_000, 4, 0, -61]]);
    rows.length = 0;
    mean.due(23_001, emit);
    expect(rows).toEqual([[23_000, 4, 0, -80]]);
    expect(reportTimeMs(2999, 3000, 10_000)).toBe(3000);
  });
});

describe('in the simulated office', () => {
  const s = shortOffice();
  s.durationS = 1800;
  s.radio.effects = { ...s.radio.effects, wifiChannels: true, wifiTraffic: true, wifiReports: true };
  let o: ReturnType<typeof simulate>['observations'];
  beforeAll(() => {
    o = simulate(s).observations;
  });
  const nets = wifiNetworks(s.site, s.radio.effects, s.seed)!;
  const phases = reportPhasesMs(s.site.aps, REPORT_DEFAULTS, s.seed);

  it('with every Wi-Fi effect off, builds no Wi-Fi network (the chain is as before)', () => {
    expect(wifiNetworks(office.site, office.radio.effects, office.seed)).toBeNull();
  });

  it('reports come at each AP\'s own 10 s ticks, one per (id, AP, tick), in time order', () => {
    const seen = new Set<string>();
    let wifiRows = 0, backwards = 0, offTick = 0, repeated = 0;
    for (let i = 0; i < o.length; i++) {
      if (i > 0 && o.tMs[i] < o.tMs[i - 1]) backwards++;
      if (!o.devices[o.deviceIdx[i]].tech.startsWith('wifi')) continue;
      wifiRows++;
      if ((o.tMs[i] - phases[o.apIdx[i]]) % REPORT_DEFAULTS.intervalMs !== 0) offTick++;
      const key = `${o.deviceIdx[i]}:${o.apIdx[i]}:${o.tMs[i]}`;
      if (seen.has(key)) repeated++;
      seen.add(key);
    }
    expect({ backwards, offTick, repeated }).toEqual({ backwards: 0, offTick: 0, repeated: 0 });
    expect(wifiRows).toBeGreaterThan(1000);
  });

  it('a connected phone is heard by one channel\'s APs at a time, and probe MACs are never reused', () => {
    const channelOf = nets['2.4'].listening!.channelOf;
    // Per (phone, report tick window of 10 s): the channels of the APs that reported it.
    const channels = new Map<string, Set<number>>();
    let mixed = 0;
    for (let i = 0; i < o.length; i++) {
      const d = o.devices[o.deviceIdx[i]];
      if (d.tech !== 'wifi') continue;
      const key = `${o.deviceIdx[i]}:${Math.floor(o.tMs[i] / 60_000)}`;
      const set = channels.get(key) ?? new Set<number>();
      set.add(channelOf[o.apIdx[i]]);
      channels.set(key, set);
    }
    for (const set of channels.values()) if (set.size > 1) mixed++;
    // Only a roam (or an AP's rare off-channel dwell) mixes channels within a minute.
    expect(mixed / channels.size).toBeLessThan(0.1);
    const probeIds = o.devices.filter((d) => d.tech === 'wifi-probe').map((d) => d.id);
    expect(new Set(probeIds).size).toBe(probeIds.length);
    expect(probeIds.every((id) => (parseInt(id.slice(6, 8), 16) & 0x02) === 2)).toBe(true);
  });
});
