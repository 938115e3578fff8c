// Tables and their cells, for the terminal (text columns left-aligned,
// numeric ones right-aligned) and for Markdown; shared by cli/, bench/ and reports/.
const NUMERIC = /^(-|[-+]?[\d.,]+%?)$/;

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i])));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A Markdown table; the columns from `numericFrom` on are right-aligned (none by default). */
export function markdownTable(header: string[], rows: string[][], numericFrom = header.length): string {
  const align = header.map((_, i) => (i >= numericFrom ? '---:' : '---'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** x with `digits` decimals, or `missing` when it is not a finite number (NaN; null or absent in a JSON file). */
export const fixedOr = (x: unknown, digits: number, missing = '-'): string =>
  typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : missing;
