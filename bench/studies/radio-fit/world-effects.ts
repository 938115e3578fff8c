// Fits behind the world effects (device models, BLE timing, furniture; the
// per-body loss is body-orientation.ts's pocket depth) against the defaults
// the simulator uses, and writes bench/results/world-effects.{json,md}.
// Run: node bin/run-ts.js bench/studies/radio-fit/world-effects.ts
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { SCAN_DUTY } from '../../../sim/radio/ble-timing.ts';
import { PER_BODY_LOSS_DB } from '../../../sim/radio/crowd.ts';
import { ANTENNA_DEPTH_DB, MODEL_OFFSET_SIGMA_DB } from '../../../sim/radio/device-models.ts';
import { FURNITURE_LENGTH_M, FURNITURE_PER_M2 } from '../../../sim/radio/world-map.ts';
import { strictArgs } from '../../entry/args.ts';
import { indoorDepthByCarry, orientationFits } from './body-orientation-fit.ts';
import { hearingRates, medianHearingRate } from './ble-timing-fit.ts';
import { anchorAntennaFits, medianAntennaDepthDb, ujiPhoneOffsets } from './device-models-fit.ts';
import { ujiOfficeFurniture } from './world-map-fit.ts';

// No flags: the fit is the same every run; strict, so a mistyped flag is refused rather than ignored.
strictArgs('bench/studies/radio-fit/world-effects.ts').parseSync();

const phones = ujiPhoneOffsets();
const antenna = anchorAntennaFits();
const rates = hearingRates();
const furniture = ujiOfficeFurniture();
const torsoDb = indoorDepthByCarry(orientationFits()).pocket!;
const f2 = (x: number) => x.toFixed(2);
const range = (xs: number[]) => `${f2(Math.min(...xs))}-${f2(Math.max(...xs))}`;
const table = formatTable(['parameter', 'default', 'fitted', 'spread', 'source'], [
  ['PER_BODY_LOSS_DB (crowd.ts)', String(PER_BODY_LOSS_DB), f2(torsoDb), '', 'ble-6ft-mitll pocket depth, indoor median'],
  ['MODEL_OFFSET_SIGMA_DB (device-models.ts)', String(MODEL_OFFSET_SIGMA_DB), f2(phones.sigmaDb), Object.values(phones.offsetDb).map((o) => (o > 0 ? '+' : '') + f2(o)).join(', '), `ble-localization-uji lib, 3 phones, ${phones.pairs} shared (point, beacon) pairs`],
  ['ANTENNA_DEPTH_DB (device-models.ts)', String(ANTENNA_DEPTH_DB), f2(medianAntennaDepthDb(antenna)), range(antenna.map((a) => a.depthDb)), 'ble-anchors-calib2021 robot tag, 6 anchors'],
  ['SCAN_DUTY (ble-timing.ts)', String(SCAN_DUTY), f2(medianHearingRate(rates)), range(rates.map((r) => r.rate)), `ble-anchors-calib2021, ${rates.length} module-sessions`],
  ['FURNITURE_PER_M2 (world-map.ts)', String(FURNITURE_PER_M2), furniture.perM2.toFixed(4), '', `ble-localization-uji geo, ${furniture.pieces} pieces in ${furniture.areaM2.toFixed(0)} m²`],
  ['FURNITURE_LENGTH_M (world-map.ts)', String(FURNITURE_LENGTH_M), f2(furniture.meanLengthM), '', 'the same pieces\' longer sides'],
]);
process.stdout.write(`${table}\n`);
const results = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(results, 'world-effects.json'), `${JSON.stringify({ torsoDb, phones, antenna, rates, furniture }, null, 2)}\n`);
writeFileAtomic(join(results, 'world-effects.md'), `# Fits behind the world effects (bench/studies/radio-fit/world-effects.ts)\n\n${table}\n`);
