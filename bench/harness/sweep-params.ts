// `--param path=spec` for sweeps: spec is a range `from:to:step` (inclusive)
// or a list `a,b,c`; each value is read and checked by the engine like a
// --set value (its type, choices and valid range: engine/config.ts).
import { parseSetting, settingRule, type ConfigValue } from '../../engine/config.ts';
import { InputError } from '../../engine/contract/input-error.ts';

export interface SweepParam {
  path: string;
  values: ConfigValue[];
}

/** Enough for any sensible sweep; a typo in the step should not start a week-long run. */
const MAX_VALUES = 1000;

export function parseParam(text: string): SweepParam {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--param must look like path=from:to:step or path=a,b,c, got '${text}'`);
  const path = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const texts = spec.includes(':') ? range(path, spec) : spec.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (texts.length === 0) throw new InputError(`--param ${path}: empty range '${spec}'`);
  if (texts.length > MAX_VALUES) throw new InputError(`--param ${path}: ${texts.length} values, more than ${MAX_VALUES}`);
  const values = texts.map((v) => {
    try {
      return parseSetting(path, v);
    } catch (err) {
      throw new InputError(`--param ${(err as Error).message}`);
    }
  });
  return { path, values };
}

function range(path: string, spec: string): string[] {
  const rule = settingRule(path);
  if (rule.kind !== 'number') throw new InputError(`--param ${path}: a from:to:step range needs a numeric key, this one is ${rule.kind}`);
  const parts = spec.split(':').map(Number);
  const [from, to, step] = parts;
  if (parts.length !== 3 || !parts.every(Number.isFinite)) throw new InputError(`--param ${path}: range must be from:to:step with numbers, got '${spec}'`);
  if (!(step > 0)) throw new InputError(`--param ${path}: range step must be > 0, got ${step}`);
  if (to < from) throw new InputError(`--param ${path}: empty range '${spec}' (to < from)`);
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (n > MAX_VALUES) throw new InputError(`--param ${path}: ${n} values, more than ${MAX_VALUES}`);
  // Multiplying, not accumulating, keeps 1.5:3:0.25 free of 1.7500000000000002.
  return Array.from({ length: n }, (_, i) => String(Number((from + i * step).toPrecision(12))));
}

/** Every combination of the params' values, the first param varying slowest. */
export function gridPoints(params: readonly SweepParam[]): Record<string, ConfigValue>[] {
  let points: Record<string, ConfigValue>[] = [{}];
  for (const p of params) points = points.flatMap((pt) => p.values.map((v) => ({ ...pt, [p.path]: v })));
  return points;
}
