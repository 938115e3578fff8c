// The shape of a survey radio map (built by engine/calibrate/survey-map.ts,
// searched by the map localizer, engine/localize/map.ts): types only, so the
// localizer's types need not import the builder that imports them.
export interface RadioMap {
  cellM: number;
  /** Per floor (layout order): grid columns and rows; cell c = j·nx + i has its centre at ((i + ½)·cellM, (j + ½)·cellM). */
  nx: Int32Array;
  ny: Int32Array;
  /** Per floor: predicted path gain [cell·aps + ap], dB (0 for APs on other floors). */
  gainDb: Float32Array[];
  /** Per floor: the kriged map's own variance at each cell, dB² (its APs' mean prediction variance: low on surveyed points, the field's sill far from them); only with localize.map.mapVariance. */
  cellVarDb2?: Float32Array[];
  /** Per floor: the cells inside a zone of the site map (where people can be), block by block: a fix's candidates. */
  walkable: WalkableBlocks[];
}

/**
 * Walkable cells grouped in square blocks of `step` cells, for a
 * coarse-to-fine search: block b holds cells[start[b] .. start[b + 1]), the
 * first of them (rep[b]) the one nearest its centre; no cells, no rep (−1).
 */
export interface WalkableBlocks {
  step: number;
  /** Blocks per row. */
  nbx: number;
  rep: Int32Array;
  start: Uint32Array;
  cells: Uint32Array;
}
