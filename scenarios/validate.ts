// The scenario validator: turns parsed JSON into a typed Scenario or throws a
// ScenarioError naming the first bad field. It builds a fresh object instead
// of casting, so what it returns is exactly what it checked.
import { TECHS, type Tech } from '../engine/contract/site.ts';
import { Reader } from './read.ts';
import { seatsOf } from './seats.ts';
import { CARRY_POSITIONS, type BandRadio, type BleRadio, type CarryPosition, type PhoneLink, type DeviceSpec, type Population, type Radio, type RadioEffects, type RoleSchedule, type Scenario, type ScenarioSite, type SurveySpec, type ZoneKind } from './types.ts';
import { readPrivacy } from './validate-privacy.ts';
import { readSite, ZONE_KINDS } from './validate-site.ts';
import { estimateWork, LIMITS } from './limits.ts';

/** Role shares are hand-written decimals; allow their rounding. */
const SHARE_SUM_TOLERANCE = 0.01;

export function validateScenario(raw: unknown, source: string): Scenario {
  const r = new Reader(source);
  const o = r.object(raw, '', ['name', 'description', 'seed', 'durationS', 'site', 'population', 'devices', 'radio', 'truth'], ['survey', 'privacy']);
  const durationS = r.within(o.durationS, 'durationS', LIMITS.durationS);
  const site = readSite(r, o.site);
  const population = readPopulation(r, o.population);
  checkHomeSeats(r, site, population);
  const devices = readDevices(r, o.devices);
  const radio = readRadio(r, o.radio);
  const apIds = new Set(site.aps.map((ap) => ap.id));
  for (const band of ['wifi', 'ble', 'wifi5'] as const) {
    for (const key of ['apGainDb', 'apHearingRate'] as const) {
      const unknown = Object.keys(radio[band]?.[key] ?? {}).find((id) => !apIds.has(id));
      if (unknown !== undefined) r.fail(`radio.${band}.${key}.${unknown}`, 'is not an AP of site.aps');
    }
    radio[band]?.sameRadio?.forEach((group, g) => group.forEach((id, k) => {
      if (!apIds.has(id)) r.fail(`radio.${band}.sameRadio[${g}][${k}]`, `"${id}" is not an AP of site.aps`);
    }));
  }
  for (const [tech, spec] of Object.entries(devices)) {
    if (spec.fiveGhzShare > 0 && !radio.wifi5) r.fail(`devices.${tech}.fiveGhzShare`, 'needs radio.wifi5 (the 5 GHz channel model)');
  }
  const scenario: Scenario = {
    name: r.string(o.name, 'name'),
    description: r.string(o.description, 'description', true),
    seed: r.integerWithin(o.seed, 'seed', LIMITS.seed),
    durationS,
    site,
    population,
    devices,
    radio,
    truth: readTruth(r, o.truth),
    survey: r.optional(o, 'survey', '', (v) => readSurvey(r, v), null),
    privacy: readPrivacy(r, o.privacy),
  };
  // Each field in range can still multiply into more than the machine holds: refused before anything is built.
  const { tooMuch } = estimateWork(scenario);
  if (tooMuch) r.fail(tooMuch.field, tooMuch.problem);
  return scenario;
}

function readPopulation(r: Reader, v: unknown): Population {
  const o = r.object(v, 'population', ['count', 'roles', 'meetings', 'walkSpeedMps']);
  const count = r.integerWithin(o.count, 'population.count', LIMITS.count);
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
      durationS: r.range(m.durationS, 'population.meetings.durationS', (x, f) => r.within(x, f, LIMITS.activityS)),
      gapS: r.range(m.gapS, 'population.meetings.gapS', (x, f) => r.within(x, f, LIMITS.timeOfRunS)),
      fillShare: r.range(m.fillShare, 'population.meetings.fillShare', (x, f) => r.share(x, f)),
    },
    walkSpeedMps: r.range(o.walkSpeedMps, 'population.walkSpeedMps', (x, f) => r.within(x, f, LIMITS.walkSpeedMps)),
  };
}

function readRole(r: Reader, v: unknown, f: string): RoleSchedule {
  const o = r.object(
    v,
    f,
    ['share', 'arriveS', 'leaveS', 'lunchStartS', 'lunchDurationS', 'breaksPerDay', 'breakDurationS', 'attendsMeetings'],
    ['homeKind', 'visits'],
  );
  const share = r.share(o.share, `${f}.share`);
  const timeOfRun = (x: unknown, tf: string): number => r.within(x, tf, LIMITS.timeOfRunS);
  const arriveS = r.range(o.arriveS, `${f}.arriveS`, timeOfRun);
  const leaveS = r.range(o.leaveS, `${f}.leaveS`, timeOfRun);
  // Otherwise some people would be drawn to leave before they arrive.
  if (leaveS[0] < arriveS[1]) r.fail(`${f}.leaveS`, `earliest leave ${leaveS[0]} is before latest arrival ${arriveS[1]}`);
  return {
    share,
    arriveS,
    leaveS,
    lunchStartS: r.range(o.lunchStartS, `${f}.lunchStartS`, timeOfRun),
    lunchDurationS: r.range(o.lunchDurationS, `${f}.lunchDurationS`, timeOfRun),
    breaksPerDay: r.range(o.breaksPerDay, `${f}.breaksPerDay`, (x, bf) => r.within(x, bf, LIMITS.breaksPerDay)),
    breakDurationS: r.range(o.breakDurationS, `${f}.breakDurationS`, timeOfRun),
    attendsMeetings: r.boolean(o.attendsMeetings, `${f}.attendsMeetings`),
    homeKind: r.optional(o, 'homeKind', f, (x, kf) => zoneKind(r, x, kf), 'desks'),
    visits: r.optional(o, 'visits', f, (x, vf) => readVisits(r, x, vf), null),
  };
}

function zoneKind(r: Reader, v: unknown, f: string): ZoneKind {
  return r.oneOf(v, f, ZONE_KINDS, 'zone kind');
}

function readVisits(r: Reader, v: unknown, f: string): RoleSchedule['visits'] {
  const o = r.object(v, f, ['kinds', 'gapS', 'stayS']);
  const kinds = r.array(o.kinds, `${f}.kinds`).map((k, i) => zoneKind(r, k, `${f}.kinds[${i}]`));
  if (kinds.length === 0) r.fail(`${f}.kinds`, 'needs at least one zone kind');
  // At least a second each: tiny gaps and stays would plan endless visits.
  const activity = (x: unknown, af: string): number => r.within(x, af, LIMITS.activityS);
  return { kinds, gapS: r.range(o.gapS, `${f}.gapS`, activity), stayS: r.range(o.stayS, `${f}.stayS`, activity) };
}

/** Every role's people need distinct seats of its home kind, reachable from an entrance (checked with the site). */
function checkHomeSeats(r: Reader, site: ScenarioSite, population: Population): void {
  const needed = new Map<ZoneKind, number>();
  for (const [name, role] of Object.entries(population.roles)) {
    needed.set(role.homeKind, (needed.get(role.homeKind) ?? 0) + Math.ceil(role.share * population.count));
    if (!site.zones.some((z) => z.kind === role.homeKind)) {
      r.fail(`population.roles.${name}.homeKind`, `no zone of kind '${role.homeKind}' to seat this role in`);
    }
  }
  for (const [kind, people] of needed) {
    const seats = site.zones.filter((z) => z.kind === kind).reduce((n, z) => n + seatsOf(z).length, 0);
    if (seats < people) r.fail('population.count', `about ${people} people need a seat in '${kind}' zones, which have ${seats}`);
  }
}

function readDevices(r: Reader, v: unknown): Partial<Record<Tech, DeviceSpec>> {
  const o = r.map(v, 'devices');
  if (Object.keys(o).length === 0) r.fail('devices', `needs at least one technology (${TECHS.join(', ')})`);
  const devices: Partial<Record<Tech, DeviceSpec>> = {};
  for (const [tech, spec] of Object.entries(o)) {
    const f = `devices.${tech}`;
    if (!(TECHS as readonly string[]).includes(tech)) r.fail(f, `unknown technology '${tech}' (expected one of ${TECHS.join(', ')})`);
    const d = r.object(spec, f, ['share', 'intervalS', 'txPowerDbm'], optionalDeviceFields(tech as Tech));
    devices[tech as Tech] = {
      share: r.share(d.share, `${f}.share`),
      intervalS: r.within(d.intervalS, `${f}.intervalS`, LIMITS.intervalS),
      txPowerDbm: r.within(d.txPowerDbm, `${f}.txPowerDbm`, LIMITS.txPowerDbm),
      carry: r.optional(d, 'carry', f, (x, cf) => readShares(r, x, cf), tech === 'ble-badge' ? BADGE_CARRY : PHONE_CARRY),
      randomizedMac: r.optional(d, 'randomizedMac', f, (x, cf) => r.boolean(x, cf), true),
      optInShare: r.optional(d, 'optInShare', f, (x, cf) => r.share(x, cf), 1),
      fiveGhzShare: r.optional(d, 'fiveGhzShare', f, (x, cf) => r.share(x, cf), 0),
    };
  }
  return devices;
}

/** The optional device fields that mean something for `tech` (the others are refused, so a typo cannot pass silently). */
export function optionalDeviceFields(tech: Tech): (keyof DeviceSpec)[] {
  const wifi = tech === 'wifi' || tech === 'wifi-probe';
  return ['carry', ...(wifi ? ['fiveGhzShare' as const] : []), ...(tech === 'wifi-probe' ? ['randomizedMac' as const] : []), ...(tech === 'ble-app' ? ['optInShare' as const] : [])];
}

/** Badges hang on a lanyard; phones are in a hand (calls, messages) about a third of the time. */
const BADGE_CARRY: Record<CarryPosition, number> = { hand: 0, pocket: 0, lanyard: 1 };
const PHONE_CARRY: Record<CarryPosition, number> = { hand: 0.3, pocket: 0.7, lanyard: 0 };

/** Shares of the carry positions: any subset, summing to 1. */
function readShares(r: Reader, v: unknown, f: string): Record<CarryPosition, number> {
  const o = r.object(v, f, [], CARRY_POSITIONS);
  const shares = Object.fromEntries(CARRY_POSITIONS.map((p) => [p, r.optional(o, p, f, (x, pf) => r.share(x, pf), 0)])) as Record<CarryPosition, number>;
  const sum = CARRY_POSITIONS.reduce((s, p) => s + shares[p], 0);
  if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) r.fail(f, `carry shares must sum to 1, got ${+sum.toFixed(4)}`);
  return shares;
}

/** The kind world the engine was first built in: no drift either, so the survey sees the day's field whatever its age. */
const IDEAL_EFFECTS = {
  walls: true, floors: true, shadowing: true, fading: true, deviceOffsets: true, bodyLoss: true, advertisingChannels: true, packetLoss: true, temporal: false, bodyOrientation: false, drift: false, otherBodies: false, deviceModels: false, bleTiming: false, mapDrawing: false,
  wifiChannels: false, wifiTraffic: false, wifiReports: false,
} satisfies RadioEffects;
const EFFECTS = Object.keys(IDEAL_EFFECTS) as (keyof RadioEffects)[];

/**
 * Named starting points for radio.effects (each switch can still be set on its
 * own): "ideal" is the kind world the engine was first built in; "realistic"
 * turns on every effect real radio has and the ideal world lacks. The library
 * scenarios name "realistic"; a file that names none gets "ideal"; `ctsim run
 * --radio-preset ideal` runs a scenario in the kind world to show the gap.
 *
 * What the library scenarios (scenarios/*.json) set on top, and from where:
 * - BLE band: the median of `ctsim calibrate`'s fits on the three shared BLE
 *   logs with known positions (UJI library, UJI office area,
 *   ble-anchors-calib2021; bench/studies/radio-fit/scenario-radio.ts,
 *   bench/results/scenario-radio.md): exponent 2.33, shadowing sd 3.15 dB
 *   over 3.0 m, Rician K 10 dB, slow sd 4.8 dB with a 4.9 s correlation
 *   time (the UJI library's three phones walked the same points, so their
 *   8.2 dB offset spread is fitted as offsets, not shadowing; the scenarios'
 *   phone models carry it, sim/radio/device-models.ts). packetLoss 0: the
 *   fits' hearing rates (0.49-0.96, median 0.81)
 *   are no lower than what the realistic preset's scan duty cycle alone
 *   leaves (0.57, bleTiming), so nothing is added. refLossDbAt1m and
 *   sensitivity stay the scenario's (the logs' phones and tags differ).
 * - Wi-Fi band: path loss and shadowing as before (ITU-R P.1238-like office
 *   line): no shared Wi-Fi log has AP positions to fit them on; drift (the
 *   band defaults below, wifi-longterm-uji), channels, traffic and reports
 *   are the effects' own sourced defaults (sim/radio/wifi-*.ts), each AP on
 *   a planned channel.
 * - survey: taken 30 days before the run (`ageDays`: a commissioning survey
 *   a month into its life; drift 1.2 dB then, 2.1 dB after a few months),
 *   10 s at each point with the tag emitting once a second, on a grid of
 *   1.5 m (office, lecture hall), 2 m (hospital ward, open plan) or 2.5 m
 *   (retail), so each floor takes one operator 0.9-1.5 h
 *   (bench/results/survey-effort.md: 1.2 h at 1.5 m for the office's
 *   1,000 m², 10 readings a point). Campus has none (it is for scale).
 */
export const RADIO_PRESETS = {
  ideal: IDEAL_EFFECTS,
  realistic: Object.fromEntries(EFFECTS.map((k) => [k, true])) as unknown as RadioEffects,
} satisfies Record<string, RadioEffects>;
export type RadioPreset = keyof typeof RADIO_PRESETS;

/** A radio section alone (as `ctsim calibrate` writes it), checked and completed with the defaults as in a scenario. */
export function validateRadio(raw: unknown, source: string): Radio {
  return readRadio(new Reader(source), raw);
}

function readRadio(r: Reader, v: unknown): Radio {
  const o = r.object(v, 'radio', ['wifi', 'ble'], ['wifi5', 'effects', 'preset']);
  const preset = r.optional(o, 'preset', 'radio', (x, f) => r.oneOf(x, f, Object.keys(RADIO_PRESETS) as RadioPreset[], 'radio preset'), 'ideal');
  const e = r.object(o.effects ?? {}, 'radio.effects', [], EFFECTS);
  const effects = {} as RadioEffects;
  for (const k of EFFECTS) effects[k] = r.optional(e, k, 'radio.effects', (x, f) => r.boolean(x, f), RADIO_PRESETS[preset][k]);
  const wifi5 = r.optional(o, 'wifi5', 'radio', (x, f) => readBandRadio(r, x, f), null);
  const wifi = readBandRadio(r, o.wifi, 'radio.wifi');
  // The 5 GHz channel draws the 2.4 GHz band's shadowing field (the same obstacles, sim/simulate.ts): on another
  // decorrelation distance the same draw would be a field of other places.
  if (wifi5 && wifi5.shadowingDecorrelationM !== wifi.shadowingDecorrelationM) {
    r.fail('radio.wifi5.shadowingDecorrelationM', `must equal radio.wifi's (${wifi.shadowingDecorrelationM}): 5 GHz shares the 2.4 GHz shadowing field`);
  }
  return { wifi, ble: readBleRadio(r, o.ble, 'radio.ble'), wifi5, effects };
}

/**
 * Defaults of the optional radio parameters. Sources: floor loss, ITU-R
 * P.1238 floor penetration factor for offices at 2.4 GHz (15 dB for one
 * floor); device offsets, the 2-4 dB spread between phone models reported for
 * BLE contact-tracing apps; pocket loss, the median hand-to-pocket minus
 * hand-to-hand RSSI in ble-proximity-pcng (about 6 dB); lanyard loss, a
 * chest-worn badge partly shadowed by its wearer (a few dB; not calibrated);
 * slow temporal component, the medians over the 11 real static BLE groups of
 * ble-6ft-mitll and ble-proximity-pcng (slow sd 1.7-6.3 dB, median 3.5;
 * correlation time 1.5-2.5 s, median 1.7; bench/results/temporal-variation.md);
 * body orientation depth, the median over ble-6ft-mitll's indoor
 * environments (bench/results/body-orientation.md): phone held to the ear
 * 5.2 dB (hand), front and back pants pockets 8.1 dB (pocket); a chest
 * badge is not in the data and takes the pocket's (the body behind it);
 * drift, the fit on wifi-longterm-uji's 25 monthly surveys of the same
 * library points (2.4 GHz, one phone model): per-link sd 0.8 dB after a
 * month, saturating at 2.1 dB with a 78-day time constant; AP life, the
 * same data's APs: 47 in service in month 1, all on the air to month 11, 25
 * from month 12, 24 in month 25, an exponential life of 1,100 days by
 * maximum likelihood (bench/results/radio-drift.md); BLE shares both (no
 * long-term BLE data);
 * loss correlation within an emission, 0 (independent, as the library
 * scenarios' loss was set): `ctsim calibrate` fits it per log (UJI BLE 0.3-0.5).
 */
export const BAND_DEFAULTS = {
  floorLossDb: 15,
  deviceOffsetSigmaDb: 2,
  bodyLossDb: { hand: 0, pocket: 6, lanyard: 3 },
  channelOffsetSigmaDb: 1.5,
  slowSigmaDb: 3.5,
  slowCorrelationS: 1.7,
  bodyOrientationDepthDb: { hand: 5, pocket: 8, lanyard: 8 },
  driftSigmaInfDb: 2.1,
  driftTimeDays: 78,
  apLifeDays: 1100,
  packetLossCorrelation: 0,
  sensitivityRampDb: 0,
} as const satisfies Partial<BandRadio>;

/**
 * The phone-to-phone link, fitted on ble-proximity-pcng (bench/studies/radio-fit/phone-link.ts,
 * bench/results/phone-link.md): the hand-hand pair's line, −75.3 dBm at 1 m, exponent 2.25;
 * per-phone offset sd 5.4 dB from the spread of the six pairs' levels once the
 * simulator's body loss is added back. ble-6ft-mitll's iPhones read some 27 dB
 * stronger at 1.83 m: phone models differ by more than this sd.
 */
export const PHONE_LINK_DEFAULTS: PhoneLink = { refRssiDbmAt1m: -75.3, pathLossExponent: 2.25, offsetSigmaDb: 5.4 };

function readBleRadio(r: Reader, v: unknown, f: string): BleRadio {
  const band = readBandRadio(r, v, f, ['phoneLink']);
  const raw = (v as { phoneLink?: unknown }).phoneLink;
  const g = `${f}.phoneLink`;
  const o = r.object(raw ?? {}, g, [], Object.keys(PHONE_LINK_DEFAULTS));
  return {
    ...band,
    phoneLink: {
      refRssiDbmAt1m: r.optional(o, 'refRssiDbmAt1m', g, (x, ff) => r.within(x, ff, LIMITS.phoneRssiDbmAt1m), PHONE_LINK_DEFAULTS.refRssiDbmAt1m),
      pathLossExponent: r.optional(o, 'pathLossExponent', g, (x, ff) => r.within(x, ff, LIMITS.pathLossExponent), PHONE_LINK_DEFAULTS.pathLossExponent),
      offsetSigmaDb: r.optional(o, 'offsetSigmaDb', g, (x, ff) => r.within(x, ff, LIMITS.sigmaDb), PHONE_LINK_DEFAULTS.offsetSigmaDb),
    },
  };
}

function readBandRadio(r: Reader, v: unknown, f: string, extraKeys: readonly string[] = []): BandRadio {
  const o = r.object(
    v,
    f,
    ['pathLossExponent', 'refLossDbAt1m', 'shadowingSigmaDb', 'shadowingDecorrelationM', 'ricianKDb', 'sensitivityDbm', 'packetLoss'],
    [...Object.keys(BAND_DEFAULTS), 'apGainDb', 'apHearingRate', 'sameRadio', 'slowDecorrelationM', ...extraKeys],
  );
  const gains = r.map(o.apGainDb ?? {}, `${f}.apGainDb`);
  const perCarry = (key: 'bodyLossDb' | 'bodyOrientationDepthDb'): Record<CarryPosition, number> => {
    const o2 = r.object(o[key] ?? {}, `${f}.${key}`, [], CARRY_POSITIONS);
    return Object.fromEntries(
      CARRY_POSITIONS.map((p) => [p, r.optional(o2, p, `${f}.${key}`, (x, ff) => r.nonNegative(x, ff), BAND_DEFAULTS[key][p])]),
    ) as Record<CarryPosition, number>;
  };
  return {
    floorLossDb: r.optional(o, 'floorLossDb', f, (x, ff) => r.within(x, ff, LIMITS.lossDb), BAND_DEFAULTS.floorLossDb),
    deviceOffsetSigmaDb: r.optional(o, 'deviceOffsetSigmaDb', f, (x, ff) => r.within(x, ff, LIMITS.sigmaDb), BAND_DEFAULTS.deviceOffsetSigmaDb),
    bodyLossDb: perCarry('bodyLossDb'),
    bodyOrientationDepthDb: perCarry('bodyOrientationDepthDb'),
    driftSigmaInfDb: r.optional(o, 'driftSigmaInfDb', f, (x, ff) => r.within(x, ff, LIMITS.sigmaDb), BAND_DEFAULTS.driftSigmaInfDb),
    driftTimeDays: r.optional(o, 'driftTimeDays', f, (x, ff) => r.within(x, ff, LIMITS.driftTimeDays), BAND_DEFAULTS.driftTimeDays),
    apLifeDays: r.optional(o, 'apLifeDays', f, (x, ff) => r.within(x, ff, LIMITS.driftTimeDays), BAND_DEFAULTS.apLifeDays),
    channelOffsetSigmaDb: r.optional(o, 'channelOffsetSigmaDb', f, (x, ff) => r.within(x, ff, LIMITS.sigmaDb), BAND_DEFAULTS.channelOffsetSigmaDb),
    slowSigmaDb: r.optional(o, 'slowSigmaDb', f, (x, ff) => r.within(x, ff, LIMITS.sigmaDb), BAND_DEFAULTS.slowSigmaDb),
    slowCorrelationS: r.optional(o, 'slowCorrelationS', f, (x, ff) => r.within(x, ff, LIMITS.correlationS), BAND_DEFAULTS.slowCorrelationS),
    ...(o.slowDecorrelationM === undefined ? {} : { slowDecorrelationM: r.within(o.slowDecorrelationM, `${f}.slowDecorrelationM`, LIMITS.slowDecorrelationM) }),
    pathLossExponent: r.within(o.pathLossExponent, `${f}.pathLossExponent`, LIMITS.pathLossExponent),
    refLossDbAt1m: r.within(o.refLossDbAt1m, `${f}.refLossDbAt1m`, LIMITS.refLossDbAt1m),
    shadowingSigmaDb: r.within(o.shadowingSigmaDb, `${f}.shadowingSigmaDb`, LIMITS.sigmaDb),
    shadowingDecorrelationM: r.within(o.shadowingDecorrelationM, `${f}.shadowingDecorrelationM`, LIMITS.shadowingDecorrelationM),
    ricianKDb: r.within(o.ricianKDb, `${f}.ricianKDb`, LIMITS.ricianKDb),
    sensitivityDbm: r.within(o.sensitivityDbm, `${f}.sensitivityDbm`, LIMITS.sensitivityDbm),
    sensitivityRampDb: r.optional(o, 'sensitivityRampDb', f, (x, ff) => r.within(x, ff, LIMITS.sensitivityRampDb), BAND_DEFAULTS.sensitivityRampDb),
    packetLoss: r.share(o.packetLoss, `${f}.packetLoss`),
    packetLossCorrelation: r.optional(o, 'packetLossCorrelation', f, (x, ff) => r.share(x, ff), BAND_DEFAULTS.packetLossCorrelation),
    apGainDb: Object.fromEntries(Object.entries(gains).map(([id, g]) => [id, r.within(g, `${f}.apGainDb.${id}`, LIMITS.apGainDb)])),
    ...(o.sameRadio === undefined ? {} : { sameRadio: readSameRadio(r, o.sameRadio, `${f}.sameRadio`) }),
    ...(o.apHearingRate === undefined ? {} : {
      apHearingRate: Object.fromEntries(Object.entries(r.map(o.apHearingRate, `${f}.apHearingRate`)).map(([id, h]) => [id, r.share(h, `${f}.apHearingRate.${id}`)])),
    }),
  };
}

/** Groups of two or more AP ids, none in two groups. */
function readSameRadio(r: Reader, v: unknown, f: string): string[][] {
  const seen = new Set<string>();
  return r.array(v, f).map((g, i) => {
    const ids = r.array(g, `${f}[${i}]`).map((id, k) => r.string(id, `${f}[${i}][${k}]`));
    if (ids.length < 2) r.fail(`${f}[${i}]`, 'needs two or more AP ids (a radio with one BSSID is no group)');
    ids.forEach((id, k) => {
      if (seen.has(id)) r.fail(`${f}[${i}][${k}]`, `"${id}" is in another group already`);
      seen.add(id);
    });
    return ids;
  });
}

function readSurvey(r: Reader, v: unknown): SurveySpec {
  const o = r.object(v, 'survey', ['spacingM', 'dwellS'], ['intervalS', 'ageDays']);
  const spec = {
    spacingM: r.within(o.spacingM, 'survey.spacingM', LIMITS.surveySpacingM),
    dwellS: r.within(o.dwellS, 'survey.dwellS', LIMITS.surveyDwellS),
    intervalS: r.optional(o, 'intervalS', 'survey', (x, f) => r.within(x, f, LIMITS.intervalS), 1),
    ageDays: r.optional(o, 'ageDays', 'survey', (x, f) => r.within(x, f, LIMITS.surveyAgeDays), 0),
  };
  if (spec.intervalS > spec.dwellS) r.fail('survey.intervalS', `must not exceed survey.dwellS (${spec.dwellS}), got ${spec.intervalS}`);
  return spec;
}

function readTruth(r: Reader, v: unknown): Scenario['truth'] {
  const o = r.object(v, 'truth', ['contacts', 'sampleIntervalS']);
  const c = r.object(o.contacts, 'truth.contacts', ['distanceM', 'minExposureS']);
  return {
    contacts: {
      distanceM: r.within(c.distanceM, 'truth.contacts.distanceM', LIMITS.contactDistanceM),
      minExposureS: r.within(c.minExposureS, 'truth.contacts.minExposureS', LIMITS.contactMinExposureS),
    },
    sampleIntervalS: r.within(o.sampleIntervalS, 'truth.sampleIntervalS', LIMITS.sampleIntervalS),
  };
}
