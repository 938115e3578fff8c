// Typed reads of untrusted JSON. Each read returns a value of the asked type
// or throws a ScenarioError naming the field, so the validator reads like the
// schema it enforces and a bad file never produces a stack trace.
import { controlProblem } from '../engine/contract/text.ts';
import type { Range } from './types.ts';
import { InputError } from '../engine/contract/input-error.ts';
import { clip, quote } from '../engine/contract/quote.ts';
import { limitError, type Limit } from './limits.ts';

/** Longest text field (names, ids, descriptions): a 300 MB name is refused here, not echoed into every later line. */
export const MAX_TEXT_CHARS = 1000;
/** Longest error line from a scenario, characters. */
const MAX_ERROR_CHARS = 400;

/** A bad scenario, as one line: `<source>: <field path>: <problem>`. */
export class ScenarioError extends InputError {
  /** Path of the offending field, e.g. `site.aps[3].x`; empty when the whole file is at fault. */
  readonly field: string;

  constructor(source: string, field: string, problem: string) {
    // Problems and field paths carry file content (keys, JSON.parse's excerpt): one line, control characters escaped, cut short.
    super(clip([source, field, problem].filter(Boolean).join(': ').replace(/\s+/g, ' '), MAX_ERROR_CHARS));
    this.name = 'ScenarioError';
    this.field = field;
  }
}

export type JsonObject = Record<string, unknown>;

export class Reader {
  readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  fail(field: string, problem: string): never {
    throw new ScenarioError(this.source, field, problem);
  }

  /**
   * An object with all `required` keys and nothing outside `required` and
   * `optional`: an unexpected key is most likely a typo of an expected one.
   */
  object(v: unknown, field: string, required: readonly string[], optional: readonly string[] = []): JsonObject {
    const o = this.map(v, field);
    for (const key of required) if (!(key in o)) this.fail(join(field, key), 'missing field');
    const known = [...required, ...optional];
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) this.fail(join(field, key), `unknown field (expected one of ${known.join(', ')})`);
    }
    return o;
  }

  /** An object used as a dictionary (materials, roles): any keys. */
  map(v: unknown, field: string): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, `must be an object, got ${show(v)}`);
    return v as JsonObject;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `must be a list, got ${show(v)}`);
    return v;
  }

  /** A non-empty string without control characters (engine/contract/text.ts; with `text`, line breaks and tabs allowed: prose, not a name). */
  string(v: unknown, field: string, text = false): string {
    if (typeof v !== 'string' || v === '') this.fail(field, `must be a non-empty string, got ${show(v)}`);
    if (v.length > MAX_TEXT_CHARS) this.fail(field, `must be at most ${MAX_TEXT_CHARS} characters, got ${v.length.toLocaleString('en-US')}`);
    const control = controlProblem(v, text);
    if (control) this.fail(field, `${control}, got ${show(v)}`);
    return v;
  }

  /** One of `choices`, named `what` in the message (e.g. "zone kind"). */
  oneOf<T extends string>(v: unknown, field: string, choices: readonly T[], what = 'value'): T {
    const t = this.string(v, field);
    if (!(choices as readonly string[]).includes(t)) this.fail(field, `unknown ${what} '${t}' (expected one of ${choices.join(', ')})`);
    return t as T;
  }

  boolean(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got ${show(v)}`);
    return v;
  }

  number(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a number, got ${show(v)}`);
    return v;
  }

  positive(v: unknown, field: string): number {
    const n = this.number(v, field);
    if (n <= 0) this.fail(field, `must be a positive number, got ${n}`);
    return n;
  }

  nonNegative(v: unknown, field: string): number {
    const n = this.number(v, field);
    if (n < 0) this.fail(field, `must be zero or more, got ${n}`);
    return n;
  }

  integer(v: unknown, field: string): number {
    const n = this.number(v, field);
    if (!Number.isInteger(n)) this.fail(field, `must be an integer, got ${n}`);
    return n;
  }

  /** A number inside `limit` (scenarios/limits.ts). */
  within(v: unknown, field: string, limit: Limit): number {
    const n = this.number(v, field);
    const bad = limitError(n, limit);
    if (bad) this.fail(field, bad);
    return n;
  }

  /** An integer inside `limit`. */
  integerWithin(v: unknown, field: string, limit: Limit): number {
    return this.within(this.integer(v, field), field, limit);
  }

  /** A probability or share of people, 0..1. */
  share(v: unknown, field: string): number {
    const n = this.number(v, field);
    if (n < 0 || n > 1) this.fail(field, `must be between 0 and 1, got ${n}`);
    return n;
  }

  /** `o[key]` read by `read`, or `fallback` when the key is absent. */
  optional<T>(o: JsonObject, key: string, field: string, read: (v: unknown, field: string) => T, fallback: T): T {
    return key in o ? read(o[key], join(field, key)) : fallback;
  }

  /** [min, max] with min <= max; `bound` checks each end (zero or more by default). */
  range(v: unknown, field: string, bound: (v: unknown, field: string) => number = (x, f) => this.nonNegative(x, f)): Range {
    const a = this.array(v, field);
    if (a.length !== 2) this.fail(field, `must be [min, max], got ${a.length} values`);
    const min = bound(a[0], `${field}[0]`);
    const max = bound(a[1], `${field}[1]`);
    if (min > max) this.fail(field, `min ${min} is greater than max ${max}`);
    return [min, max];
  }
}

export function join(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}

/** A short rendering of a bad value for an error message. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return quote(v);
}
