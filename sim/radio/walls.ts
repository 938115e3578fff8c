// Wall loss is part of the site map, shared with the engine.
export { ApWalls, packWalls, wallLossDb, type PackedWalls } from '../../engine/site-map/wall-loss.ts';
