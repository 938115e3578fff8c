// The ground-truth thread (sim/truth-thread.ts): registers the tsx loader
// (threads do not inherit it), computes the truth (and the phones' RSSI), posts it back and raises
// the shared done flag, on failure too, so the waiting thread never hangs.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

const { scenario, tracks, appCarriers, port, done } = workerData;
try {
  register();
  const { computeTruth } = await import('./truth-thread.ts');
  const truth = computeTruth(scenario, tracks, appCarriers);
  const p = truth.positions;
  port.postMessage(truth, [p.tMs, p.person, p.x, p.y, p.floor, p.zone].map((a) => a.buffer));
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
