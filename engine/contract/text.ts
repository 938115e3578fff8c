// A user's text file as every reader takes it, whatever its format.

/** A text file's contents without the byte-order mark some editors put first (JSON.parse refuses it, CSV would read it into the first column name). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Why a name or id is unfit to print (a control character there drives the
 * terminal it is shown on), or ''; `prose` lets line breaks and tabs through.
 */
export function controlProblem(s: string, prose = false): string {
  const control = (prose ? /(?![\t\n\r])\p{Cc}/u : /\p{Cc}/u).exec(s);
  return control ? `must not hold control characters (U+${control[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()} at ${control.index})` : '';
}
