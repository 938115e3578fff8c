// Piscina worker entry. Workers do not inherit the main thread's tsx loader,
// so this plain-JS file registers it, then loads the TypeScript task and
// re-exports it as the default export (piscina's default handler name).
import { register } from 'tsx/esm/api';

register();
const { default: localizeTask } = await import('./localize-worker.ts');
export default localizeTask;
