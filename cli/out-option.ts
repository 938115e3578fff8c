// Where a command may write: --out is checked, and folder names made from a
// scenario's name must stay one plain folder under runs/.
import { existsSync, statSync } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';
import { InputError } from '../engine/contract/input-error.ts';

/** --out as given, refused when empty (it would write into /), the filesystem root, or under a file (no folder can be made there). */
export function checkOut(out: string | undefined, flag = '--out'): void {
  if (out === undefined) return;
  if (out.trim() === '') throw new InputError(`${flag} must name a folder, got an empty string`);
  const abs = resolve(out);
  if (abs === parse(abs).root) throw new InputError(`${flag} ${out}: the filesystem root cannot be an output folder`);
  for (let up = dirname(abs); up !== dirname(up); up = dirname(up)) {
    if (existsSync(up) && !statSync(up).isDirectory()) throw new InputError(`${flag} ${out}: ${up} is a file, not a folder`);
  }
}

// Letters, digits, '_', '.', '-'; not starting with '.', so never '..', a hidden name or a path.
const PLAIN_NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]*$/u;
const MAX_NAME = 100;

/** A folder under runs/ named from the scenario; a name that is not one plain folder name is refused. */
export function runsFolder(scenarioName: string, suffix: string): string {
  if (!PLAIN_NAME.test(scenarioName) || scenarioName.length > MAX_NAME) {
    const shown = JSON.stringify(scenarioName.length > 40 ? `${scenarioName.slice(0, 40)}…` : scenarioName);
    throw new InputError(`scenario name ${shown} cannot name a folder under runs/ (up to ${MAX_NAME} letters, digits, '_', '.', '-', not starting with '.'): give --out`);
  }
  return `runs/${scenarioName}${suffix}`;
}
