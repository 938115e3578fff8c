// Reading a JSON file the user gave or a run wrote: the one-line errors every
// reader shares, so each then checks only its own shape.
import { readFileSync } from 'node:fs';
import { InputError } from '../contract/input-error.ts';
import { withoutBom } from '../contract/text.ts';

/**
 * The parsed contents of `path`. A file that cannot be read is one InputError
 * line `path: <unreadable>` (default `cannot read (<code>)`), bad JSON is
 * `path: not valid JSON (<parser message>)`.
 */
export function readJsonFile(path: string, unreadable?: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: ${unreadable ?? `cannot read (${(err as NodeJS.ErrnoException).code})`}`);
  }
  try {
    return JSON.parse(withoutBom(text));
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}
