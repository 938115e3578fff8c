// The walkable graph and shortest paths on it (Dijkstra on Euclidean edge
// lengths). People move only along its edges.
import type { ScenarioSite, WalkwayNode } from '../scenarios/types.ts';

export class Walkways {
  readonly nodes: WalkwayNode[];
  private readonly indexById = new Map<string, number>();
  private readonly neighbours: { to: number; lengthM: number }[][];
  private readonly pathCache = new Map<string, number[]>();

  constructor(walkways: ScenarioSite['walkways']) {
    this.nodes = walkways.nodes;
    this.nodes.forEach((node, i) => this.indexById.set(node.id, i));
    this.neighbours = this.nodes.map(() => []);
    for (const [a, b] of walkways.edges) {
      const ia = this.index(a);
      const ib = this.index(b);
      const lengthM = Math.hypot(this.nodes[ia].x - this.nodes[ib].x, this.nodes[ia].y - this.nodes[ib].y);
      this.neighbours[ia].push({ to: ib, lengthM });
      this.neighbours[ib].push({ to: ia, lengthM });
    }
  }

  index(id: string): number {
    const i = this.indexById.get(id);
    if (i === undefined) throw new Error(`unknown walkway node "${id}"`);
    return i;
  }

  /** Node indices from `fromId` to `toId`, both included. */
  shortestPath(fromId: string, toId: string): number[] {
    const key = `${fromId}\u0000${toId}`;
    let path = this.pathCache.get(key);
    if (!path) {
      path = this.dijkstra(this.index(fromId), this.index(toId));
      this.pathCache.set(key, path);
    }
    return path;
  }

  // O(V^2) Dijkstra: walkway graphs have tens of nodes, and paths are cached.
  private dijkstra(from: number, to: number): number[] {
    const n = this.nodes.length;
    const distM = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    distM[from] = 0;
    for (;;) {
      let u = -1;
      for (let i = 0; i < n; i++) if (!done[i] && distM[i] < Infinity && (u < 0 || distM[i] < distM[u])) u = i;
      if (u < 0) throw new Error(`no walkway path from "${this.nodes[from].id}" to "${this.nodes[to].id}"`);
      if (u === to) break;
      done[u] = 1;
      for (const { to: v, lengthM } of this.neighbours[u]) {
        if (distM[u] + lengthM < distM[v]) {
          distM[v] = distM[u] + lengthM;
          prev[v] = u;
        }
      }
    }
    const path = [to];
    while (path[path.length - 1] !== from) path.push(prev[path[path.length - 1]]);
    return path.reverse();
  }
}
