// The contract's table schemas are what engine/io really writes: names, order and Arrow types.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { expect, it } from 'vitest';
import { OBSERVATION_SCHEMA, SURVEY_SCHEMA, type ColumnSpec } from '../engine/contract/arrow-schemas.ts';
import { ObservationColumns } from '../engine/contract/observation-columns.ts';
import type { Site } from '../engine/contract/site.ts';
import { SurveyColumns } from '../engine/contract/survey.ts';
import { writeObservations } from '../engine/io/observations-table.ts';
import { writeSurvey } from '../engine/io/survey-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-schemas-'));
const site: Site = {
  floors: [{ id: 0, name: 'G', widthM: 10, heightM: 10, elevationM: 0 }],
  walls: [],
  zones: [],
  aps: [{ id: 'ap-1', floor: 0, x: 1, y: 1, radios: { wifi: { txPowerDbm: 20 }, ble: { txPowerDbm: 0 } } }],
};
const schemaOf = (path: string) => tableFromIPC(readFileSync(path)).schema.fields.map((f) => [f.name, String(f.type)]);
const expected = (schema: Record<string, ColumnSpec>) => Object.entries(schema).map(([name, c]) => [name, c.type]);

it('observations.arrow has the columns of OBSERVATION_SCHEMA', () => {
  const rows = new ObservationColumns(4);
  rows.push(0, 0, 0, -60);
  rows.push(1000, 1, 0, -71);
  const path = join(dir, 'observations.arrow');
  writeObservations(path, rows.toBatch([{ id: 'p1', tech: 'wifi' }, { id: 'ap:ap-1', tech: 'ble-badge' }]), site);
  expect(schemaOf(path)).toEqual(expected(OBSERVATION_SCHEMA));
});

it('survey.arrow has the columns of SURVEY_SCHEMA', () => {
  const rows = new SurveyColumns();
  rows.push(0, 1.5, 2.5, 0, 1, -58);
  const path = join(dir, 'survey.arrow');
  writeSurvey(path, rows.build(), site);
  expect(schemaOf(path)).toEqual(expected(SURVEY_SCHEMA));
});
