// A user's text file as every reader takes it, whatever its format.

/** A text file's contents without the byte-order mark some editors put first (JSON.parse refuses it, CSV would read it into the first column name). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
