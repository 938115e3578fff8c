// This process's peak RSS, for benchmarks that run each point in a process of its own.
import { readFileSync } from 'node:fs';

/**
 * Peak RSS, MiB. Linux keeps getrusage's maxRSS across execve, so a child
 * spawned by a big parent would report the parent's peak: VmHWM (per
 * address space) is this process's own.
 */
export function peakRssMiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS / 1024;
}
