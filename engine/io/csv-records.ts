// A user's CSV file as records with their line numbers, for the readers
// that name the line of a bad value: header row, '#' comments, blank lines
// skipped, cells trimmed, a UTF-8 byte-order mark (spreadsheets write one)
// dropped. Unreadable files, broken CSV, missing columns and a needed
// column named twice (which of the two would be read?) are reported as `makeError` with the file (and line).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { quote } from '../contract/quote.ts';
import { withoutBom } from '../contract/text.ts';

export interface CsvRecord {
  line: number;
  record: Record<string, string>;
}

export function readCsvRecords(path: string, columns: readonly string[], makeError: (message: string) => Error): CsvRecord[] {
  let text: string;
  try {
    text = withoutBom(readFileSync(path, 'utf8'));
  } catch (err) {
    throw makeError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let records: { info: { lines: number }; record: Record<string, string> }[];
  let twice: string | undefined;
  const headerOf = (h: string[]): string[] => {
    twice = h.find((c, i) => columns.includes(c) && h.indexOf(c) !== i);
    return h;
  };
  try {
    records = parse(text, { columns: headerOf, info: true, skip_empty_lines: true, trim: true, comment: '#' });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw makeError(`${path}${e.lines ? `:${e.lines}` : ''}: not valid CSV (${quote(e.message)})`);
  }
  if (twice !== undefined) throw makeError(`${path}:1: column ${quote(twice)} is named twice in the header`);
  const header = records.length ? Object.keys(records[0].record) : (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((s) => s.trim());
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length) throw makeError(`${path}:1: missing column(s) ${missing.join(', ')} (need ${columns.join(',')}; header ${quote(header.join(','))})`);
  return records.map(({ info, record }) => ({ line: info.lines, record }));
}
