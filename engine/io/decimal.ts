// Numbers in a user's text (CSV cells, Arrow text columns) are plain decimals:
// `-61.5`, `1e3`, `+2`. JavaScript's Number() also reads `0x10` (+16 dBm from
// a hex dump), `0b1`, `Infinity` and whitespace-only cells; those are refused.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a cell holds, or NaN when it is no finite decimal (numbers pass as they are; bigints convert). */
export function decimalOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return NaN;
}
