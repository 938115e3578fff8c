// The k cheapest of a stream of (cost, cell) candidates, kept sorted by
// insertion (k is small): knn's best cells and self-calibration's likeliest.

/** Offers (cost, cell) to the kept list of at most k (bestCost ascending); returns how many are kept now. */
export function keepCheapest(bestCost: Float64Array, bestCell: Int32Array, kept: number, k: number, cost: number, cell: number): number {
  let p: number;
  if (kept < k) p = kept++;
  else if (cost < bestCost[k - 1]) p = k - 1;
  else return kept;
  while (p > 0 && bestCost[p - 1] > cost) {
    bestCost[p] = bestCost[p - 1];
    bestCell[p] = bestCell[p - 1];
    p--;
  }
  bestCost[p] = cost;
  bestCell[p] = cell;
  return kept;
}
