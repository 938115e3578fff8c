// Piscina worker entry. Workers do not inherit the main thread's tsx loader,
// so this plain-JS file registers it, then loads the TypeScript tasks and
// re-exports them by name (run.ts picks one per pool.run).
import { register } from 'tsx/esm/api';

register();
export const { surveyBand, calibrateTech, mapOffset, localize, track, contacts, phone } = await import('./worker-tasks.ts');
