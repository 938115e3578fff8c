// Quoting user input in an error line. Values come from files a user did not
// necessarily write (a CSV cell, a scenario key): control characters and
// escape sequences are shown escaped, never sent to the terminal raw, and a
// long value is cut so a 300 MB cell does not make a 300 MB error line.

/** Longest quoted value, characters; longer ones are cut and their length given. */
export const MAX_QUOTED_CHARS = 80;

// C0/C1 controls (ESC starts terminal escape sequences), DEL, line/paragraph
// separators and the bidirectional overrides that can reorder what is shown.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Only the unsafe characters of `text` escaped (\u001b ...), nothing cut. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const lengthOf = (text: string): string => ` (${text.length.toLocaleString('en-US')} characters)`;

/** `text` safe to print: unsafe characters escaped, cut at maxChars (its length given). */
export function clip(text: string, maxChars: number): string {
  const shown = escapeControls(text.slice(0, maxChars));
  return text.length <= maxChars ? shown : `${shown}…${lengthOf(text)}`;
}

/** `value` in single quotes, safe to print: unsafe characters escaped, cut at MAX_QUOTED_CHARS. */
export function quote(value: unknown): string {
  const text = String(value);
  const shown = escapeControls(text.slice(0, MAX_QUOTED_CHARS));
  return text.length <= MAX_QUOTED_CHARS ? `'${shown}'` : `'${shown}…'${lengthOf(text)}`;
}
