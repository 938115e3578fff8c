// metrics.json as flat dotted paths (`perTech.wifi.contacts.f1`), so sweeps
// and the CI check handle metrics other work adds without code changes.

/** Every numeric leaf by dotted path; NaN (no data) becomes null, as JSON stores it. */
export function flattenMetrics(value: unknown, prefix = '', out: Record<string, number | null> = {}): Record<string, number | null> {
  if (typeof value === 'number') out[prefix] = Number.isFinite(value) ? value : null;
  else if (value === null && prefix) out[prefix] = null;
  else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenMetrics(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** `*` in a pattern stands for exactly one path segment. */
export function matchesPath(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const s = path.split('.');
  return p.length === s.length && p.every((seg, i) => seg === '*' || seg === s[i]);
}
