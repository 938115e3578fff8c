// Text tables of a calibration (value and 95 % interval per parameter) and of
// a twin's fidelity rows (real, simulated, tolerance, verdict).
import { formatTable } from '../../reports/table.ts';
import type { Calibration, Estimate } from './calibrate.ts';
import type { Row } from './fidelity.ts';

const f = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
const ci = (e: Estimate | null, d: number): string[] => (e ? [f(e.value, d), `${f(e.lo, d)} .. ${f(e.hi, d)}`] : ['-', 'not fitted']);

export function calibrationTable(cal: Calibration): string {
  const rows: string[][] = [];
  for (const c of cal.bands) {
    const add = (name: string, e: Estimate | null, d = 2): void => void rows.push([c.band, name, ...ci(e, d)]);
    add('RSSI at 1 m re tx, dB', c.rssiDbAt1m, 1);
    add('path-loss exponent', c.pathLossExponent);
    for (const [m, e] of Object.entries(c.wallLossDb)) {
      add(`wall loss ${m}, dB`, e, 1);
      if (c.wallLossFromHearingDb[m]) add('  of it from the missed links through them, dB', c.wallLossFromHearingDb[m], 1);
    }
    if (c.floorLossDb) add('floor loss, dB', c.floorLossDb, 1);
    if (c.floorLossFromHearingDb) add('  of it from the missed links between floors, dB', c.floorLossFromHearingDb, 1);
    add('body orientation depth, dB', c.orientationDepthDb, 1);
    add('body depth at stays (facing unknown), dB', c.stayFacingDepthDb, 1);
    add('shadowing σ, dB', c.shadowingSigmaDb);
    add('shadowing decorrelation, m', c.shadowingDecorrelationM, 1);
    add('slow temporal σ, dB', c.slowSigmaDb);
    add('slow correlation time, s', c.slowCorrelationS, 1);
    add('slow decorrelation moving, m', c.slowDecorrelationM, 1);
    add('fast fading σ, dB', c.fadingSigmaDb);
    add('device offset σ, dB', c.deviceOffsetSigmaDb);
    add('residual σ, dB', c.residualSigmaDb);
    add('sensitivity, dBm', c.sensitivityDbm, 1);
    add('detection ramp above it, dB', c.sensitivityRampDb, 1);
    add('hearing rate', c.hearingRate, 3);
    add('hearing correlation in an emission', c.hearingCorrelation, 3);
    const gains = Object.values(c.apGainDb).map((e) => e.value);
    if (gains.length) rows.push([c.band, `AP gains (${gains.length} APs), dB`, `${f(Math.min(...gains), 1)} .. ${f(Math.max(...gains), 1)}`, 'per AP in calibration.json']);
    const floors = Object.values(c.deviceFloorDb).map((e) => e.value);
    if (floors.length) rows.push([c.band, `device floors above it (${floors.length} devices), dB`, `${f(Math.min(...floors), 0)} .. ${f(Math.max(...floors), 0)}`, 'per device in calibration.json']);
    const heard = Object.values(c.deviceHearing).map((e) => e.value);
    if (heard.length) rows.push([c.band, `device hearing over the APs' rates (${heard.length} devices)`, `${f(Math.min(...heard), 2)} .. ${f(Math.max(...heard), 2)}`, 'per device in calibration.json']);
    const rates = Object.values(c.apHearingRate).map((e) => e.value);
    if (rates.length) rows.push([c.band, `AP hearing rates (${rates.length} APs)`, `${f(Math.min(...rates), 2)} .. ${f(Math.max(...rates), 2)}`, 'per AP in calibration.json']);
    if (c.sameRadio.length) rows.push([c.band, 'BSSIDs of one radio', `${c.sameRadio.length} groups of ${c.sameRadio.reduce((n, g) => n + g.length, 0)} APs`, 'sameRadio in calibration.json']);
    rows.push([c.band, 'reports (devices)', `${c.samples} (${c.devices})`, '']);
  }
  return formatTable(['band', 'parameter', 'value', `95% CI (${cal.bootstrap} bootstrap)`], rows);
}

const digits = (metric: string): number => (metric.startsWith('RSSI') ? 1 : 2);

export function fidelityTable(rows: Row[], first: string[] = [], firstHeader: string[] = []): string {
  return formatTable([...firstHeader, 'metric', 'of', 'real', 'sim', 'tolerance', 'verdict'],
    rows.map((r) => [...first, r.metric, r.of, f(r.real, digits(r.metric)), f(r.sim, digits(r.metric)), r.tolerance, r.pass ? 'pass' : 'FAIL']));
}
