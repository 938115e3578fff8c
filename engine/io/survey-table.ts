// survey.arrow (or .csv): a site survey, one row per AP reading of the
// reference device (engine/contract/survey.ts), in the columns of the
// contract's SURVEY_SCHEMA (engine/contract/arrow-schemas.ts):
//   floor    Int16             floor id of the surveyed point
//   x, y     Float32           the surveyed point, metres in the floor's frame
//   apId     Dictionary<Utf8>  the AP that heard the reference device (site.aps)
//   band     Dictionary<Utf8>  wifi | ble
//   rssiDbm  Float32           received signal strength, dBm
// Numbers are decimals, columns of other types and dictionary indices outside
// their dictionary are refused (as for observations). A bad row stops the read
// with one error naming the file, the line (CSV) or row (Arrow), and the field.
import { makeVector, type Vector } from 'apache-arrow';
import { SURVEY_COLUMNS, type SurveyColumn } from '../contract/arrow-schemas.ts';
import type { Band, Site } from '../contract/site.ts';
import { SURVEY_BANDS, SurveyColumns, type SurveyBatch } from '../contract/survey.ts';
import { dictionaryColumn, writeArrowFile } from './arrow.ts';
import { readCsvRecords } from './csv-records.ts';
import { rssiError } from './observations-reader.ts';
import { columnTypeError, outsideDictionary, readArrowTable } from './read-arrow.ts';
import { decimalOf } from './decimal.ts';
import { InputError } from '../contract/input-error.ts';
import { quote } from '../contract/quote.ts';

export class SurveyFileError extends InputError {}

export function writeSurvey(path: string, survey: SurveyBatch, site: Site): void {
  const n = survey.length;
  writeArrowFile(path, {
    floor: makeVector(survey.floor.subarray(0, n)),
    x: makeVector(survey.x.subarray(0, n)),
    y: makeVector(survey.y.subarray(0, n)),
    apId: dictionaryColumn(survey.apIdx.subarray(0, n), site.aps.map((a) => a.id)),
    band: dictionaryColumn(survey.band.subarray(0, n), SURVEY_BANDS),
    rssiDbm: makeVector(survey.rssiDbm.subarray(0, n)),
  } satisfies Record<SurveyColumn, Vector>);
}

/** By extension: .csv, or .arrow / .feather / .ipc. */
export function readSurveyFile(path: string, site: Site): SurveyBatch {
  let rows: { where: string; values: unknown[] }[];
  if (/\.csv$/i.test(path)) rows = csvRows(path);
  else if (/\.(arrow|feather|ipc)$/i.test(path)) rows = arrowRows(path);
  else throw new SurveyFileError(`${path}: unknown survey file type (use .csv or .arrow)`);
  const apIdx = new Map(site.aps.map((ap, i) => [ap.id, i]));
  const floors = new Map(site.floors.map((f) => [f.id, f]));
  const out = new SurveyColumns();
  for (const { where, values } of rows) {
    const fail = (msg: string): never => {
      throw new SurveyFileError(`${where}: ${msg}`);
    };
    const num = (k: number): number => {
      const n = decimalOf(values[k]);
      return Number.isFinite(n) ? n : fail(`${SURVEY_COLUMNS[k]} ${quote(values[k])} is not a number`);
    };
    const [floorId, x, y] = [num(0), num(1), num(2)];
    const floor = floors.get(floorId) ?? fail(`floor ${floorId} is not a floor of the site`);
    if (x < 0 || x > floor.widthM || y < 0 || y > floor.heightM) fail(`point (${x}, ${y}) lies outside floor ${floorId} (${floor.widthM} × ${floor.heightM} m)`);
    const ap = apIdx.get(String(values[3])) ?? fail(`apId ${quote(values[3])} is not an AP of the site`);
    const band = SURVEY_BANDS.indexOf(values[4] as Band);
    if (band < 0) fail(`band ${quote(values[4])} is not one of ${SURVEY_BANDS.join(', ')}`);
    const rssi = num(5);
    const bad = rssiError(rssi);
    if (bad) fail(bad);
    out.push(floorId, x, y, ap, band, rssi);
  }
  // A survey given and empty would leave the run without one, unsaid.
  if (rows.length === 0) throw new SurveyFileError(`${path}: holds no survey readings`);
  return out.build();
}

function csvRows(path: string): { where: string; values: unknown[] }[] {
  return readCsvRecords(path, SURVEY_COLUMNS, (m) => new SurveyFileError(m)).map(({ line, record }) => ({ where: `${path}:${line}`, values: SURVEY_COLUMNS.map((c) => record[c]) }));
}

function arrowRows(path: string): { where: string; values: unknown[] }[] {
  const table = readArrowTable(path);
  const missing = SURVEY_COLUMNS.filter((c) => table.getChild(c) === null);
  if (missing.length) throw new SurveyFileError(`${path}: missing column(s) ${missing.join(', ')} (need ${SURVEY_COLUMNS.join(',')})`);
  const cols = SURVEY_COLUMNS.map((c) => table.getChild(c)!);
  // Any numeric or text Arrow type reads by value (pandas writes Float64/Int64); a boolean or date column does not.
  SURVEY_COLUMNS.forEach((c, k) => {
    const bad = columnTypeError(path, c, cols[k].type, c === 'apId' || c === 'band' ? 'string' : 'number');
    if (bad) throw new SurveyFileError(bad);
    let row = 0;
    for (const d of cols[k].data) {
      const outside = outsideDictionary(d);
      if (outside >= 0) throw new SurveyFileError(`${path}: row ${row + outside}: ${c}'s dictionary index is outside its dictionary (${d.dictionary!.length} entries)`);
      row += d.length;
    }
  });
  return Array.from({ length: table.numRows }, (_, r) => ({ where: `${path}: row ${r}`, values: cols.map((c) => c.get(r)) }));
}
