// The scenario validator: turns parsed JSON into a typed Scenario or throws a
// ScenarioError naming the first bad field. It builds a fresh object instead
// of casting, so what it returns is exactly what it checked.
import { TECHS, type Band, type Tech } from '../engine/site.ts';
import { Reader } from './read.ts';
import type { BandRadio, DeviceSpec, Population, RoleSchedule, Scenario } from './types.ts';
import { readPrivacy } from './validate-privacy.ts';
import { readSite } from './validate-site.ts';

/** Role shares are hand-written decimals; allow their rounding. */
const SHARE_SUM_TOLERANCE = 0.01;

export function validateScenario(raw: unknown, source: string): Scenario {
  const r = new Reader(source);
  const o = r.object(raw, '', ['name', 'description', 'seed', 'durationS', 'site', 'population', 'devices', 'radio', 'truth'], ['privacy']);
  const durationS = r.positive(o.durationS, 'durationS');
  return {
    name: r.string(o.name, 'name'),
    description: r.string(o.description, 'description'),
    seed: r.integer(o.seed, 'seed'),
    durationS,
    site: readSite(r, o.site),
    population: readPopulation(r, o.population),
    devices: readDevices(r, o.devices),
    radio: readRadio(r, o.radio),
    truth: readTruth(r, o.truth),
    privacy: readPrivacy(r, o.privacy),
  };
}

function readPopulation(r: Reader, v: unknown): Population {
  const o = r.object(v, 'population', ['count', 'roles', 'meetings', 'walkSpeedMps']);
  const count = r.integer(o.count, 'population.count');
  if (count <= 0) r.fail('population.count', `must be a positive integer, got ${count}`);
  const roles = Object.fromEntries(
    Object.entries(r.map(o.roles, 'population.roles')).map(([name, role]) => [name, readRole(r, role, `population.roles.${name}`)]),
  );
  const shareSum = Object.values(roles).reduce((sum, role) => sum + role.share, 0);
  if (Math.abs(shareSum - 1) > SHARE_SUM_TOLERANCE) r.fail('population.roles', `role shares must sum to 1, got ${+shareSum.toFixed(4)}`);
  const m = r.object(o.meetings, 'population.meetings', ['durationS', 'gapS', 'fillShare']);
  return {
    count,
    roles,
    meetings: {
      durationS: r.range(m.durationS, 'population.meetings.durationS', (x, f) => r.positive(x, f)),
      gapS: r.range(m.gapS, 'population.meetings.gapS'),
      fillShare: r.range(m.fillShare, 'population.meetings.fillShare', (x, f) => r.share(x, f)),
    },
    walkSpeedMps: r.range(o.walkSpeedMps, 'population.walkSpeedMps', (x, f) => r.positive(x, f)),
  };
}

function readRole(r: Reader, v: unknown, f: string): RoleSchedule {
  const o = r.object(v, f, [
    'share', 'arriveS', 'leaveS', 'lunchStartS', 'lunchDurationS', 'breaksPerDay', 'breakDurationS', 'attendsMeetings',
  ]);
  const share = r.share(o.share, `${f}.share`);
  const arriveS = r.range(o.arriveS, `${f}.arriveS`);
  const leaveS = r.range(o.leaveS, `${f}.leaveS`);
  // Otherwise some people would be drawn to leave before they arrive.
  if (leaveS[0] < arriveS[1]) r.fail(`${f}.leaveS`, `earliest leave ${leaveS[0]} is before latest arrival ${arriveS[1]}`);
  return {
    share,
    arriveS,
    leaveS,
    lunchStartS: r.range(o.lunchStartS, `${f}.lunchStartS`),
    lunchDurationS: r.range(o.lunchDurationS, `${f}.lunchDurationS`),
    breaksPerDay: r.range(o.breaksPerDay, `${f}.breaksPerDay`),
    breakDurationS: r.range(o.breakDurationS, `${f}.breakDurationS`),
    attendsMeetings: r.boolean(o.attendsMeetings, `${f}.attendsMeetings`),
  };
}

function readDevices(r: Reader, v: unknown): Partial<Record<Tech, DeviceSpec>> {
  const o = r.map(v, 'devices');
  if (Object.keys(o).length === 0) r.fail('devices', `needs at least one technology (${TECHS.join(', ')})`);
  const devices: Partial<Record<Tech, DeviceSpec>> = {};
  for (const [tech, spec] of Object.entries(o)) {
    const f = `devices.${tech}`;
    if (!(TECHS as readonly string[]).includes(tech)) r.fail(f, `unknown technology '${tech}' (expected one of ${TECHS.join(', ')})`);
    const d = r.object(spec, f, ['share', 'intervalS', 'txPowerDbm']);
    devices[tech as Tech] = {
      share: r.share(d.share, `${f}.share`),
      intervalS: r.positive(d.intervalS, `${f}.intervalS`),
      txPowerDbm: r.number(d.txPowerDbm, `${f}.txPowerDbm`),
    };
  }
  return devices;
}

function readRadio(r: Reader, v: unknown): Record<Band, BandRadio> {
  const o = r.object(v, 'radio', ['wifi', 'ble']);
  return { wifi: readBandRadio(r, o.wifi, 'radio.wifi'), ble: readBandRadio(r, o.ble, 'radio.ble') };
}

function readBandRadio(r: Reader, v: unknown, f: string): BandRadio {
  const o = r.object(v, f, [
    'pathLossExponent', 'refLossDbAt1m', 'shadowingSigmaDb', 'shadowingDecorrelationM', 'ricianKDb', 'sensitivityDbm', 'packetLoss',
  ]);
  return {
    pathLossExponent: r.positive(o.pathLossExponent, `${f}.pathLossExponent`),
    refLossDbAt1m: r.number(o.refLossDbAt1m, `${f}.refLossDbAt1m`),
    shadowingSigmaDb: r.nonNegative(o.shadowingSigmaDb, `${f}.shadowingSigmaDb`),
    shadowingDecorrelationM: r.positive(o.shadowingDecorrelationM, `${f}.shadowingDecorrelationM`),
    ricianKDb: r.number(o.ricianKDb, `${f}.ricianKDb`),
    sensitivityDbm: r.number(o.sensitivityDbm, `${f}.sensitivityDbm`),
    packetLoss: r.share(o.packetLoss, `${f}.packetLoss`),
  };
}

function readTruth(r: Reader, v: unknown): Scenario['truth'] {
  const o = r.object(v, 'truth', ['contactDistanceM', 'contactMinExposureS', 'sampleIntervalS']);
  return {
    contactDistanceM: r.positive(o.contactDistanceM, 'truth.contactDistanceM'),
    contactMinExposureS: r.positive(o.contactMinExposureS, 'truth.contactMinExposureS'),
    sampleIntervalS: r.positive(o.sampleIntervalS, 'truth.sampleIntervalS'),
  };
}
