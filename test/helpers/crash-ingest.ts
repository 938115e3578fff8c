// Child process for the crash test: commits one batch, then dies (SIGKILL)
// halfway through writing a second one. Usage: crash-ingest.ts STORE KEYHEX
import { pseudonymOf } from '../../engine/privacy/pseudonym.ts';
import { DuckStore } from '../../engine/store/duckdb-store.ts';
import { emptyTrack } from '../../engine/store/track-codec.ts';
import type { DeviceTrack } from '../../engine/store/types.ts';

const [path, keyHex] = process.argv.slice(2);
const key = Uint8Array.from(Buffer.from(keyHex, 'hex'));
const store = await DuckStore.open(path, { master: key }, { create: true });
const T0 = Date.UTC(2026, 10, 2, 8);

function deviceTrack(i: number): DeviceTrack {
  const t = emptyTrack(720);
  for (let k = 0; k < 720; k++) {
    t.tMs[k] = T0 + k * 5000;
    t.x[k] = 1 + k * 0.01;
    t.y[k] = 2;
  }
  return { device: pseudonymOf(`crash-dev-${i}`, store.key('pseudonym')), track: t };
}

await store.ingest({ tracks: [deviceTrack(0)], contacts: [] });
process.stdout.write('committed first batch\n');

// The second batch's 11th device is never reached: the process is killed
// while the first ten are written inside the open transaction.
const tracks = Array.from({ length: 20 }, (_, i) => deviceTrack(i + 1));
Object.defineProperty(tracks, 10, {
  get() {
    process.kill(process.pid, 'SIGKILL');
    return deviceTrack(99);
  },
});
await store.ingest({ tracks, contacts: [] });
process.stdout.write('second batch committed (should not happen)\n');
