// A validated Scenario back to the JSON the validator accepts, so a run
// folder's scenario.json can be run again (`ctsim run --scenario DIR/scenario.json`)
// and reproduces the run. Drops what the validator derives or fills in:
// wall losses (from materials), unset optional sections (null) and device
// fields that do not apply to the technology.
import type { Tech } from '../engine/contract/site.ts';
import type { Scenario } from './types.ts';
import { optionalDeviceFields } from './validate.ts';

const DEVICE_FIELDS = new Set(['share', 'intervalS', 'txPowerDbm']);

type Json = Record<string, unknown>;

export function scenarioToJson(scenario: Scenario): unknown {
  const plain = withoutNulls(structuredClone(scenario)) as { site: { walls: Json[] }; devices: Record<string, Json> };
  for (const wall of plain.site.walls) delete wall.lossDb;
  for (const [tech, spec] of Object.entries(plain.devices)) {
    const keep = new Set<string>([...DEVICE_FIELDS, ...optionalDeviceFields(tech as Tech)]);
    for (const key of Object.keys(spec)) if (!keep.has(key)) delete spec[key];
  }
  return plain;
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}
