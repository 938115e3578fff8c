// Each person's day, drawn up front: role, home desk, entrance, speed,
// arrival and leave times, lunch and breaks. Drawn in person order from one
// stream, so plans are deterministic and independent of devices.
import type { RoleSchedule, Scenario, ZoneKind } from '../scenarios/types.ts';
import type { Places } from './places.ts';
import type { Rng } from './rng.ts';

export interface Excursion {
  /** Lunch, a break, or a visit (nurses' rounds to wards, shoppers to the sales floor). */
  kind: ZoneKind;
  startMs: number;
  durationMs: number;
}

export interface DayPlan {
  role: string;
  schedule: RoleSchedule;
  speedMps: number;
  deskZone: number;
  deskSeat: number;
  entranceZone: number;
  arriveMs: number;
  leaveMs: number;
  /** Sorted by start. */
  excursions: Excursion[];
}

/** Someone leaving no later than they arrive still stays this long. */
const MIN_STAY_MS = 60_000;

export function planDays(scenario: Scenario, places: Places, rng: Rng): DayPlan[] {
  const { population } = scenario;
  const roles = assignRoles(population.roles, population.count, rng);
  const homes = homeSeats(places, roles.map((role) => population.roles[role].homeKind), rng);
  const entrances = places.zonesOfKind('entrance');
  if (entrances.length === 0) throw new Error("site has no 'entrance' zone: people cannot arrive");
  const hasLunch = places.zonesOfKind('lunch').length > 0;
  const hasBreak = places.zonesOfKind('break').length > 0;

  return roles.map((role, i) => {
    const schedule = population.roles[role];
    const speedMps = rng.inRange(population.walkSpeedMps);
    const entranceZone = entrances[rng.int(entrances.length)];
    const arriveMs = rng.inRange(schedule.arriveS) * 1000;
    const leaveMs = Math.max(rng.inRange(schedule.leaveS) * 1000, arriveMs + MIN_STAY_MS);
    const excursions: Excursion[] = [];
    const lunch = { kind: 'lunch' as const, startMs: rng.inRange(schedule.lunchStartS) * 1000, durationMs: rng.inRange(schedule.lunchDurationS) * 1000 };
    if (hasLunch && lunch.startMs > arriveMs && lunch.startMs + lunch.durationMs < leaveMs) excursions.push(lunch);
    const [minBreaks, maxBreaks] = schedule.breaksPerDay;
    const breaks = Math.min(maxBreaks, Math.floor(rng.uniform(minBreaks, maxBreaks + 1)));
    for (let b = 0; b < breaks; b++) {
      const durationMs = rng.inRange(schedule.breakDurationS) * 1000;
      const startMs = rng.uniform(arriveMs, leaveMs - durationMs);
      if (hasBreak && startMs > arriveMs) excursions.push({ kind: 'break', startMs, durationMs });
    }
    if (schedule.visits) excursions.push(...planVisits(schedule.visits, arriveMs, leaveMs, places, rng));
    excursions.sort((a, b) => a.startMs - b.startMs);
    return { role, schedule, speedMps, ...homes[i], entranceZone, arriveMs, leaveMs, excursions };
  });
}

/** Exact head counts by largest remainder (role order as in the scenario), handed out in random order. */
function assignRoles(roles: Record<string, RoleSchedule>, count: number, rng: Rng): string[] {
  const names = Object.keys(roles);
  const exact = names.map((name) => roles[name].share * count);
  const counts = exact.map(Math.floor);
  const byRemainder = names.map((_, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let k = 0; counts.reduce((s, c) => s + c, 0) < count; k++) counts[byRemainder[k % names.length]]++;
  return rng.shuffle(names.flatMap((name, i) => Array<string>(counts[i]).fill(name)));
}

/** Trips back to back through the stay: a gap at the home seat, then a stay in a zone of one of the kinds. */
function planVisits(visits: NonNullable<RoleSchedule['visits']>, arriveMs: number, leaveMs: number, places: Places, rng: Rng): Excursion[] {
  const trips: Excursion[] = [];
  for (let startMs = arriveMs + rng.inRange(visits.gapS) * 1000; ; ) {
    const durationMs = rng.inRange(visits.stayS) * 1000;
    if (startMs + durationMs >= leaveMs) return trips;
    const kind = visits.kinds[rng.int(visits.kinds.length)];
    if (places.zonesOfKind(kind).length > 0) trips.push({ kind, startMs, durationMs });
    startMs += durationMs + rng.inRange(visits.gapS) * 1000;
  }
}

/** Distinct home seats (desks, beds, browsing spots), each person's from every zone of their role's home kind. */
function homeSeats(places: Places, kinds: readonly ZoneKind[], rng: Rng): { deskZone: number; deskSeat: number }[] {
  const free = new Map<ZoneKind, { deskZone: number; deskSeat: number }[]>();
  return kinds.map((kind) => {
    let seats = free.get(kind);
    if (!seats) {
      const all = places.zonesOfKind(kind).flatMap((zone) => places.seats[zone].map((_, seat) => ({ deskZone: zone, deskSeat: seat })));
      free.set(kind, (seats = rng.shuffle(all).reverse()));
    }
    const seat = seats.pop();
    if (!seat) throw new Error(`the '${kind}' zones have too few seats for everyone seated there`);
    return seat;
  });
}
