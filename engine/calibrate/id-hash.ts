// A device id's hash: samples of the log by device (self-fit.ts, reading-spread.ts) take the same devices every run.

/** 32-bit FNV-1a of a string, never 0 (0 marks a device of another tech). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}
