// `--param path=spec` for sweeps: spec is a range `from:to:step` (inclusive)
// or a list `a,b,c`; values take the type of the config default they replace.
import { defaultAt, typed, type ConfigValue } from './config-path.ts';
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
  const def = defaultAt(path);
  const values = spec.includes(':') ? range(path, spec, def) : spec.split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => typed(`--param ${path}`, v, def));
  if (values.length === 0) throw new InputError(`--param ${path}: empty range '${spec}'`);
  if (values.length > MAX_VALUES) throw new InputError(`--param ${path}: ${values.length} values, more than ${MAX_VALUES}`);
  return { path, values };
}

function range(path: string, spec: string, def: ConfigValue): number[] {
  if (typeof def !== 'number') throw new InputError(`--param ${path}: a from:to:step range needs a numeric key, this one is ${typeof def}`);
  const parts = spec.split(':').map(Number);
  const [from, to, step] = parts;
  if (parts.length !== 3 || !parts.every(Number.isFinite)) throw new InputError(`--param ${path}: range must be from:to:step with numbers, got '${spec}'`);
  if (!(step > 0)) throw new InputError(`--param ${path}: range step must be > 0, got ${step}`);
  if (to < from) throw new InputError(`--param ${path}: empty range '${spec}' (to < from)`);
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (n > MAX_VALUES) throw new InputError(`--param ${path}: ${n} values, more than ${MAX_VALUES}`);
  // Multiplying, not accumulating, keeps 1.5:3:0.25 free of 1.7500000000000002.
  return Array.from({ length: n }, (_, i) => Number((from + i * step).toPrecision(12)));
}

/** Every combination of the params' values, the first param varying slowest. */
export function gridPoints(params: readonly SweepParam[]): Record<string, ConfigValue>[] {
  let points: Record<string, ConfigValue>[] = [{}];
  for (const p of params) points = points.flatMap((pt) => p.values.map((v) => ({ ...pt, [p.path]: v })));
  return points;
}
