// Hashes that sample a log by device, or by (device, group of epochs), so a
// sample takes the same rows every run (self-fit.ts, reading-spread.ts).

/** 32-bit FNV-1a of a string, never 0 (0 marks a device of another tech). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

/** A (device, group) hash, from the device's (fnv1a of its id): a group is an epoch, or a run of them. */
export const hashOf = (deviceHash: number, group: number): number => mix32(deviceHash ^ Math.imul(group, 0x9e3779b1));

/** A 32-bit finalizer (murmur3's): nearby inputs to unrelated outputs, unsigned. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
