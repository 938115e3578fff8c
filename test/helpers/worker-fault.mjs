// Preloaded with `node --import` into the ctsim CLI for a test: in each
// worker thread, once piscina hands it its task port, post a response to a
// task that does not exist: the pool then emits 'error' ("Unexpected message
// from Worker"), the failure the pool's error listener must turn into one line.
import { isMainThread, parentPort } from 'node:worker_threads';

if (!isMainThread) {
  parentPort.once('message', ({ port }) => {
    if (port) setTimeout(() => port.postMessage({ taskId: 987654321, result: null, error: null, time: 0 }), Number(process.env.CTSIM_TEST_FAULT_MS ?? 0));
  });
}
