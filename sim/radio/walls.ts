// Wall loss is part of the site map, shared with the engine.
export { packWalls, wallLossDb, type PackedWalls } from '../../engine/walls.ts';
