// A 3,000-row RSSI log on the office site for time-origin tests and the
// time-origin benchmark: two phones seated 1.1 m apart in the north desks
// and one in the kitchen, every AP heard every 5 s, noiseless RSSI from the
// engine's default Wi-Fi model (refRssi −30 dBm, exponent 3), starting at
// `originMs` (0, Unix-epoch ms, negative ...).
import { loadScenario } from '../../scenarios/load.ts';

export const EPOCH_LOG_ROWS = 3000;
/** 2025-11-24T16:00:00Z in Unix-epoch ms: a whole number of hours, so epochs and chunks fall as they do from 0. */
export const UNIX_ORIGIN_MS = 1_764_000_000_000;
const SEATS: [string, number, number][] = [['phone-a', 8, 18], ['phone-b', 9.1, 18], ['phone-c', 33, 20]];
const STEP_MS = 5000;
const HEIGHT_M = 1.5;

export function epochLogCsv(originMs: number): string {
  const aps = loadScenario('office').site.aps;
  const rows = ['tMs,deviceId,tech,apId,rssiDbm'];
  for (let k = 0; rows.length <= EPOCH_LOG_ROWS; k++) {
    SEATS.forEach(([id, x, y], d) => {
      for (const ap of aps) {
        if (rows.length > EPOCH_LOG_ROWS) return;
        const rssiDbm = -30 - 30 * Math.log10(Math.hypot(x - ap.x, y - ap.y, HEIGHT_M));
        rows.push(`${originMs + k * STEP_MS + d * 97},${id},wifi,${ap.id},${rssiDbm.toFixed(2)}`);
      }
    });
  }
  return rows.join('\n') + '\n';
}
