// What a valid setting looks like: each stage and method declares a rule for
// every one of its settings beside its defaults (a numeric one always with
// its range), and the assembled config is checked against them, whether the
// values come from code, a sweep's --param or the CLI's --set.

/** A number within [min, max] ((min, max] when openMin), whole when integer. */
export interface NumberRule { kind: 'number'; min: number; max: number; openMin: boolean; integer: boolean }
export interface BooleanRule { kind: 'boolean' }
/** A string that must be one of a few names. */
export interface ChoiceRule { kind: 'choice'; choices: readonly string[] }
/** Free text (an id). */
export interface TextRule { kind: 'text' }
/** A list whose items follow `item`; exactly `length` long when given. Lists are set in code, not by --set. */
export interface ListRule { kind: 'list'; item: Rule; length?: number }
export type ValueRule = NumberRule | BooleanRule | ChoiceRule | TextRule | ListRule;
export type Rule = ValueRule | { readonly [key: string]: Rule };

/** A rule for every field of T, nested like T: the compiler refuses a setting without one. */
export type RulesOf<T> = {
  [K in keyof T]-?: T[K] extends number ? NumberRule
    : T[K] extends boolean ? BooleanRule
    : T[K] extends string ? ChoiceRule | TextRule
    : T[K] extends readonly unknown[] ? ListRule
    : RulesOf<T[K]>;
};

/** A stage's or method's settings: their defaults and the rule each must meet. */
export interface Settings<T> { defaults: T; rules: RulesOf<T> }

/** A number in [min, max]. */
export const between = (min: number, max: number): NumberRule => ({ kind: 'number', min, max, openMin: false, integer: false });
/** A number in (min, max]: min itself is not allowed (a length or a time that must not be 0). */
export const above = (min: number, max: number): NumberRule => ({ kind: 'number', min, max, openMin: true, integer: false });
/** A whole number in [min, max]. */
export const whole = (min: number, max: number): NumberRule => ({ kind: 'number', min, max, openMin: false, integer: true });
export const flag: BooleanRule = { kind: 'boolean' };
export const text: TextRule = { kind: 'text' };
export const oneOf = (choices: readonly string[]): ChoiceRule => ({ kind: 'choice', choices });
export const listOf = (item: Rule, length?: number): ListRule => ({ kind: 'list', item, length });

/** The longest setting in seconds: a day (a site's day is the longest span the engine reasons over). */
export const DAY_S = 86_400;

function isValueRule(rule: Rule): rule is ValueRule {
  return typeof (rule as { kind?: unknown }).kind === 'string';
}

/** What a rule accepts, as an error line says it. */
export function describeRule(rule: ValueRule): string {
  switch (rule.kind) {
    case 'number': return `${rule.integer ? 'a whole number' : 'a number'} in ${rule.openMin ? '(' : '['}${rule.min}, ${rule.max}]`;
    case 'boolean': return 'true or false';
    case 'choice': return `one of ${rule.choices.join(', ')}`;
    case 'text': return 'text';
    case 'list': return `a list${rule.length === undefined ? '' : ` of ${rule.length}`}, each ${describeRule(rule.item as ValueRule)}`;
  }
}

/** Why `value` breaks `rule`, or undefined when it meets it. */
function problem(rule: ValueRule, value: unknown): string | undefined {
  const ok = rule.kind === 'number' ? typeof value === 'number' && Number.isFinite(value)
      && (rule.openMin ? value > rule.min : value >= rule.min) && value <= rule.max && (!rule.integer || Number.isInteger(value))
    : rule.kind === 'boolean' ? typeof value === 'boolean'
    : rule.kind === 'choice' ? typeof value === 'string' && rule.choices.includes(value)
    : rule.kind === 'text' ? typeof value === 'string'
    : Array.isArray(value) && (rule.length === undefined || value.length === rule.length) && value.every((v) => problem(rule.item as ValueRule, v) === undefined);
  return ok ? undefined : `must be ${describeRule(rule)}`;
}

/** The rule at a dotted path; throws naming the path when there is no setting there. */
export function ruleAt(rules: Rule, path: string): ValueRule {
  let node: Rule = rules;
  for (const key of path.split('.')) {
    if (isValueRule(node) || !Object.hasOwn(node, key)) throw new Error(`unknown config key '${path}'`);
    node = node[key];
  }
  if (!isValueRule(node)) throw new Error(`config key '${path}' is a section, not a value: name one of its fields (${Object.keys(node).join(', ')})`);
  return node;
}

/** `text` read as the setting at `path` wants it; throws one line naming the key, the value and what is allowed. */
export function parseValue(rules: Rule, path: string, text: string): number | boolean | string {
  const rule = ruleAt(rules, path);
  if (rule.kind === 'list') throw new Error(`config key '${path}' is a list: set it in a config file, not on the command line`);
  const value = rule.kind === 'number' ? (text.trim() === '' ? NaN : Number(text)) : rule.kind === 'boolean' ? (text === 'true' ? true : text === 'false' ? false : text) : text;
  const why = problem(rule, value);
  if (why !== undefined) throw new Error(`${path}=${text}: ${why}`);
  return value;
}

/** Every value in `config` meets its rule and names a known setting; throws one line naming the first that does not. */
export function checkRules(rules: Rule, config: unknown, path = ''): void {
  if (isValueRule(rules)) {
    const why = problem(rules, config);
    if (why !== undefined) throw new Error(`config ${path} = ${JSON.stringify(config)}: ${why}`);
    return;
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`config ${path} must be a section with fields ${Object.keys(rules).join(', ')}`);
  for (const key of Object.keys(config)) if (!Object.hasOwn(rules, key)) throw new Error(`unknown config key '${path ? `${path}.` : ''}${key}'`);
  for (const [key, rule] of Object.entries(rules)) checkRules(rule, (config as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
}
