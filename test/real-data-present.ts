// Whether the shared real datasets are here (../shared/data or $CTSIM_DATA): tests on them skip without.
import { dataDir } from '../bench/studies/real-data/data-dir.ts';

export const haveRealData = ((): boolean => {
  try {
    return dataDir() !== '';
  } catch {
    return false;
  }
})();
