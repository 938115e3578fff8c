// Reference close-pair search: every pair, O(n²) per epoch. The grid must
// agree with it exactly.
import { pairDistanceM, type ContactDetector } from './detector.ts';

export const allPairs: ContactDetector = {
  closePairs(est, rows, n, distanceM, visit) {
    for (let k = 0; k < n; k++) {
      for (let m = k + 1; m < n; m++) {
        const d = pairDistanceM(est, rows[k], rows[m]);
        if (d <= distanceM) visit(rows[k], rows[m], d);
      }
    }
  },
};
