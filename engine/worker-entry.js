// Piscina worker entry. Workers do not inherit the main thread's tsx loader,
// so this plain-JS file registers it, then loads the TypeScript tasks:
// localization as the default export (piscina's default handler name),
// contact slabs as the named export `slabTask`.
import { register } from 'tsx/esm/api';

register();
const { default: localizeTask } = await import('./localize-worker.ts');
const { slabTask: contactSlabTask } = await import('./contacts-worker.ts');
export default localizeTask;
export const slabTask = contactSlabTask;
