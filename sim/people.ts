// Occupants moving through the day on the DES: arrive at an entrance, walk
// to the home desk, go to meetings, lunch and breaks, leave. Anything due
// while someone is busy waits until they are back at their desk; someone
// past their leave time goes home from wherever they are.
import type { Scenario } from '../scenarios/types.ts';
import { Des } from './des.ts';
import { planDays, type DayPlan, type Excursion } from './plan.ts';
import { Places, SeatPool, type Spot } from './places.ts';
import { Rng } from './rng.ts';
import { ABSENT_FLOOR, TrackBuilder } from './track.ts';
import type { Person, Track } from './types.ts';
import { Walkways } from './walkways.ts';

type State = 'out' | 'walking' | 'desk' | 'away' | 'gone';

interface Occupant {
  plan: DayPlan;
  track: TrackBuilder;
  at: Spot;
  state: State;
  /** Excursions that fell due while busy, oldest first. */
  pending: Excursion[];
}

export interface PeopleResult {
  people: Person[];
  tracks: Track[];
}

export function simulatePeople(scenario: Scenario): PeopleResult {
  const day = new Day(scenario);
  day.run();
  return {
    people: day.occupants.map((p, i) => ({ id: `person-${String(i + 1).padStart(4, '0')}`, role: p.plan.role })),
    tracks: day.occupants.map((p) => p.track.build()),
  };
}

class Day {
  readonly occupants: Occupant[];
  private readonly des = new Des();
  private readonly places: Places;
  private readonly rng: Rng;
  /** Seat pools of the zones people make trips to (lunch, breaks, visits), by zone index. */
  private readonly pools: SeatPool[];

  constructor(private readonly scenario: Scenario) {
    this.places = new Places(scenario.site, new Walkways(scenario.site.walkways));
    this.rng = new Rng(scenario.seed, 'people');
    this.pools = this.places.seats.map((seats, zone) => new SeatPool(zone, seats.length));
    this.occupants = planDays(scenario, this.places, this.rng).map((plan) => ({
      plan,
      track: new TrackBuilder(),
      at: this.places.entry(plan.entranceZone),
      state: 'out',
      pending: [],
    }));
  }

  run(): void {
    for (const p of this.occupants) {
      if (p.plan.arriveMs > 0) {
        p.track.add(0, p.at.x, p.at.y, ABSENT_FLOOR);
        this.des.schedule(p.plan.arriveMs, () => this.goHome(p));
      } else {
        // In the building when the run starts (a patient in bed): already at their own seat.
        p.at = this.places.seat(p.plan.deskZone, p.plan.deskSeat);
        p.track.add(0, p.at.x, p.at.y, p.at.floor);
        this.des.schedule(0, () => this.atDesk(p));
      }
      for (const excursion of p.plan.excursions) {
        this.des.schedule(excursion.startMs, () => {
          if (p.state === 'desk') this.startExcursion(p, excursion);
          else if (p.state !== 'gone') p.pending.push(excursion);
        });
      }
      this.des.schedule(p.plan.leaveMs, () => {
        if (p.state === 'desk') this.exit(p);
      });
    }
    this.scheduleMeetings();
    this.des.run(this.scenario.durationS * 1000);
  }

  /** Walks the route to `to` from now, then calls `then` on arrival. */
  private walk(p: Occupant, to: Spot, then: () => void): void {
    let tMs = this.des.nowMs;
    const route = this.places.route(p.at, to);
    p.track.add(tMs, route[0].x, route[0].y, route[0].floor);
    for (let i = 1; i < route.length; i++) {
      tMs += (this.places.legLengthM(route[i - 1], route[i]) / p.plan.speedMps) * 1000;
      p.track.add(tMs, route[i].x, route[i].y, route[i].floor);
    }
    p.at = to;
    p.state = 'walking';
    this.des.schedule(tMs, then);
  }

  private exit(p: Occupant): void {
    this.walk(p, this.places.entry(p.plan.entranceZone), () => {
      p.track.add(this.des.nowMs, p.at.x, p.at.y, ABSENT_FLOOR);
      p.state = 'gone';
    });
  }

  private atDesk(p: Occupant): void {
    p.state = 'desk';
    if (this.des.nowMs >= p.plan.leaveMs) this.exit(p);
    else {
      // A full lunch room skips that excursion; try the next one due.
      while (p.pending.length > 0) if (this.startExcursion(p, p.pending.shift()!)) break;
    }
  }

  private goHome(p: Occupant): void {
    if (this.des.nowMs >= p.plan.leaveMs) this.exit(p);
    else this.walk(p, this.places.seat(p.plan.deskZone, p.plan.deskSeat), () => this.atDesk(p));
  }

  /** Seated until `untilMs` (or now, if later), then home. */
  private stayUntil(p: Occupant, untilMs: number, release?: () => void): void {
    p.state = 'away';
    this.des.schedule(Math.max(this.des.nowMs, untilMs), () => {
      release?.();
      this.goHome(p);
    });
  }

  /** False when every seat of that kind is taken: the person stays at the desk. */
  private startExcursion(p: Occupant, excursion: Excursion): boolean {
    for (const zone of this.rng.shuffle(this.places.zonesOfKind(excursion.kind))) {
      const pool = this.pools[zone];
      const seat = pool.take(this.rng);
      if (seat < 0) continue;
      this.walk(p, this.places.seat(zone, seat), () => this.stayUntil(p, this.des.nowMs + excursion.durationMs, () => pool.release(seat)));
      return true;
    }
    return false;
  }

  /** Each meeting room runs meetings with gaps through the working day, filled from people at their desks. */
  private scheduleMeetings(): void {
    const { durationS, population } = this.scenario;
    const { meetings } = population;
    const rng = new Rng(this.scenario.seed, 'meetings');
    const roles = Object.values(population.roles);
    const dayStartMs = Math.min(...roles.map((r) => r.arriveS[0])) * 1000;
    const dayEndMs = Math.min(durationS, Math.max(...roles.map((r) => r.leaveS[1]))) * 1000;

    const meeting = (room: number, startMs: number): void => {
      if (startMs >= dayEndMs) return;
      this.des.schedule(startMs, () => {
        const endMs = startMs + rng.inRange(meetings.durationS) * 1000;
        const candidates = this.occupants.filter((p) => p.state === 'desk' && p.plan.schedule.attendsMeetings);
        const seats = rng.shuffle(this.places.seats[room].map((_, i) => i));
        const wanted = Math.round(rng.inRange(meetings.fillShare) * this.scenario.site.zones[room].capacity);
        const attendees = rng.shuffle(candidates).slice(0, Math.min(wanted, seats.length));
        attendees.forEach((p, k) => this.walk(p, this.places.seat(room, seats[k]), () => this.stayUntil(p, endMs)));
        meeting(room, endMs + rng.inRange(meetings.gapS) * 1000);
      });
    };
    for (const room of this.places.zonesOfKind('meeting')) meeting(room, dayStartMs + rng.inRange(meetings.gapS) * 1000);
  }
}
