// The built-in scenario library: every scenario loads and is listed, people
// never walk through walls (on any floor), and each scenario shows the
// behaviour it exists for.
import { describe, expect, it } from 'vitest';
import { listScenarios, loadScenario } from '../scenarios/load.ts';
import type { Scenario } from '../scenarios/types.ts';
import { simulatePeople } from '../sim/people.ts';
import { samplePositions } from '../sim/truth.ts';
import { ABSENT_FLOOR } from '../sim/track.ts';
import type { Track } from '../sim/types.ts';
import { wallCrossings } from './helpers/wall-crossings.ts';

const LIBRARY = ['campus', 'hospital-ward', 'lecture-hall', 'office', 'open-plan', 'retail'];

/** Most people in one zone at one truth sample. */
function peakOccupancy(scenario: Scenario, tracks: readonly Track[], zoneId: string): number {
  const zone = scenario.site.zones.findIndex((z) => z.id === zoneId);
  const pos = samplePositions(scenario, tracks);
  let peak = 0;
  for (let i = 0, count = 0; i < pos.length; i++) {
    if (i > 0 && pos.tMs[i] !== pos.tMs[i - 1]) count = 0;
    if (pos.zone[i] === zone) peak = Math.max(peak, ++count);
  }
  return peak;
}

describe('scenario library', () => {
  it('lists every built-in scenario with a one-line description', () => {
    const listed = listScenarios();
    expect(listed.map((s) => s.name)).toEqual(LIBRARY);
    for (const s of listed) expect(s.description).toMatch(/^[^\n]{20,200}$/);
  });

  // People only (no radio): cheap even for the campus, cut to 400 occupants and 3 h.
  for (const name of LIBRARY) {
    it(`${name}: nobody walks through a wall`, () => {
      const s = loadScenario(name);
      if (name === 'campus') Object.assign(s, { durationS: 3 * 3600, population: { ...s.population, count: 400 } });
      const { tracks } = simulatePeople(s);
      expect(tracks.some((t) => t.tMs.length > 2)).toBe(true);
      expect(wallCrossings(s, tracks)).toBe(0);
    });
  }

  it('campus: people take the stairs between its three floors, changing floor only at a stair', () => {
    const s = loadScenario('campus');
    Object.assign(s, { durationS: 3 * 3600, population: { ...s.population, count: 400 } });
    const { tracks } = simulatePeople(s);
    const floorsVisited = new Set<number>();
    let changes = 0;
    for (const t of tracks) {
      for (let i = 1; i < t.tMs.length; i++) {
        if (t.floor[i] !== ABSENT_FLOOR) floorsVisited.add(t.floor[i]);
        if (t.floor[i] === ABSENT_FLOOR || t.floor[i - 1] === ABSENT_FLOOR || t.floor[i] === t.floor[i - 1]) continue;
        changes++;
        // A stair or lift: same spot on both floors, one floor apart, and the climb takes time.
        expect([t.x[i], t.y[i]]).toEqual([t.x[i - 1], t.y[i - 1]]);
        expect(Math.abs(t.floor[i] - t.floor[i - 1])).toBe(1);
        expect(t.tMs[i] - t.tMs[i - 1]).toBeGreaterThan(4000);
      }
    }
    expect([...floorsVisited].sort()).toEqual([0, 1, 2]);
    expect(changes).toBeGreaterThan(400);
  });

  it('retail: the lunch crowd overfills the food court in ground truth', () => {
    const s = loadScenario('retail');
    s.durationS = 4.5 * 3600; // the crowd peaks 3.3-4 h into the day
    const { tracks } = simulatePeople(s);
    const capacity = s.site.zones.find((z) => z.id === 'food-court')!.capacity;
    expect(peakOccupancy(s, tracks, 'food-court')).toBeGreaterThan(2 * capacity);
    // Outside lunch the store never comes close.
    expect(peakOccupancy({ ...s, durationS: 2.5 * 3600 }, tracks, 'food-court')).toBeLessThan(capacity);
  });

  it('lecture-hall: the hall fills to most of the audience, then empties between lectures', () => {
    const s = loadScenario('lecture-hall');
    s.durationS = 4 * 3600;
    const { tracks } = simulatePeople(s);
    const pos = samplePositions(s, tracks);
    const hall = s.site.zones.findIndex((z) => z.id === 'hall');
    const inHall = new Map<number, number>();
    for (let i = 0; i < pos.length; i++) if (pos.zone[i] === hall) inHall.set(pos.tMs[i], (inHall.get(pos.tMs[i]) ?? 0) + 1);
    const counts = [...inHall.values()];
    expect(Math.max(...counts)).toBeGreaterThan(0.8 * s.population.count);
    // Empty samples between lectures: times with nobody in the hall after the first lecture started.
    const first = Math.min(...inHall.keys());
    let emptyAfter = 0;
    for (let t = first; t < s.durationS * 1000; t += s.truth.sampleIntervalS * 1000) if (!inHall.has(t)) emptyAfter++;
    expect(emptyAfter).toBeGreaterThan(60);
  });

  it("hospital-ward: patients stay in their rooms while nurses make rounds", () => {
    const s = loadScenario('hospital-ward');
    s.durationS = 3 * 3600;
    const { people, tracks } = simulatePeople(s);
    const moves = (role: string) => people.flatMap((p, i) => (p.role === role ? [tracks[i].tMs.length] : []));
    expect(moves('patient').every((n) => n === 1)).toBe(true);
    // A round every 10-25 min for 3-10 min: several trips in 3 hours, each a handful of waypoints.
    const nurseWaypoints = moves('nurse');
    expect(Math.min(...nurseWaypoints)).toBeGreaterThan(20);
    const pos = samplePositions(s, tracks);
    const wardZones = new Set(s.site.zones.flatMap((z, i) => (z.kind === 'ward' ? [i] : [])));
    const nurses = new Set(people.flatMap((p, i) => (p.role === 'nurse' ? [i] : [])));
    let nurseInWard = 0;
    for (let i = 0; i < pos.length; i++) if (nurses.has(pos.person[i]) && wardZones.has(pos.zone[i])) nurseInWard++;
    expect(nurseInWard / pos.length).toBeGreaterThan(0.05);
  });
});
