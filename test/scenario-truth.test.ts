// The scenario's truth section: the contact definition under the engine's names (contacts.distanceM, contacts.minExposureS).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { validateScenario } from '../scenarios/validate.ts';

const raw = JSON.parse(readFileSync(new URL('../scenarios/office.json', import.meta.url), 'utf8'));

it('reads truth.contacts.distanceM and minExposureS', () => {
  const s = validateScenario({ ...raw, truth: { contacts: { distanceM: 1.5, minExposureS: 600 }, sampleIntervalS: 2 } }, 'x.json');
  expect(s.truth).toEqual({ contacts: { distanceM: 1.5, minExposureS: 600 }, sampleIntervalS: 2 });
});

it.each([
  [{ contacts: { distanceM: 0, minExposureS: 900 }, sampleIntervalS: 1 }, /truth\.contacts\.distanceM.*positive/],
  [{ contacts: { distanceM: 2 }, sampleIntervalS: 1 }, /truth\.contacts\.minExposureS.*missing/],
  [{ contactDistanceM: 2, contactMinExposureS: 900, sampleIntervalS: 1 }, /truth\.(contacts: missing|contactDistanceM: unknown)/],
])('rejects %j naming the field', (truth, message) => {
  expect(() => validateScenario({ ...raw, truth }, 'x.json')).toThrow(message);
});
