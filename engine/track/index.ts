// Trackers by name, as track.filter, track.walkFilter and sweeps refer to
// them, and the track settings: those every tracker shares, then each one's own.
import type { Estimates } from '../outputs.ts';
import { oneOf, type Settings } from '../settings/rules.ts';
import { grid, GRID_SETTINGS, type GridSettings } from './grid-hmm.ts';
import { KALMAN_SETTINGS, newFilterHistory, newTrackState, trackKalman, type KalmanSettings, type KalmanTrackSettings } from './kalman.ts';
import { particle, PARTICLE_SETTINGS, type ParticleSettings } from './particle.ts';
import { smoothTracks } from './rts-smoother.ts';
import { SHARED_TRACK_SETTINGS, type SharedTrackSettings, type Tracker, type TrackInput } from './tracker.ts';

/** The Kalman filter, then the RTS smoother when track.kalman.smooth. */
const kalman: Tracker<KalmanTrackSettings> = {
  track({ fixes, devices, fixRadiusScale }, cfg) {
    const history = cfg.kalman.smooth ? newFilterHistory(fixes.length) : undefined;
    const tracked = trackKalman(fixes, newTrackState(devices), cfg, fixRadiusScale, history);
    if (history) smoothTracks(tracked, history, devices, cfg, fixRadiusScale, fixes.errorRadiusM);
    return tracked;
  },
};

/** The per-epoch fixes as they are. */
const none: Tracker = { track: ({ fixes }) => fixes };

export const TRACKERS = { grid, kalman, particle, none };
export type TrackerName = keyof typeof TRACKERS;

export interface TrackSettings extends SharedTrackSettings {
  /** Tracker over each device's fixes, by name (TRACKERS); without pooled stays (no survey, or stays.poolS 0) over whole days. */
  filter: TrackerName;
  /**
   * With pooled stays: the tracker over the walks between them (each stay's
   * first and last fix as anchors; engine/track/walks.ts); the stays keep
   * their pooled fix. kalman: the grid HMM, chosen on the kind simulated
   * office, located the real Wi-Fi walks and every BLE technology of the
   * realistic scenarios worse than the Kalman filter does, at more cost:
   * bench/results/track-settings.md (walkFilter grid, none).
   */
  walkFilter: TrackerName;
  kalman: KalmanSettings;
  particle: ParticleSettings;
  grid: GridSettings;
}

const NAMES = oneOf(Object.keys(TRACKERS));

export const TRACK_SETTINGS: Settings<TrackSettings> = {
  defaults: { filter: 'kalman', walkFilter: 'kalman', ...SHARED_TRACK_SETTINGS.defaults, kalman: KALMAN_SETTINGS.defaults, particle: PARTICLE_SETTINGS.defaults, grid: GRID_SETTINGS.defaults },
  rules: { filter: NAMES, walkFilter: NAMES, ...SHARED_TRACK_SETTINGS.rules, kalman: KALMAN_SETTINGS.rules, particle: PARTICLE_SETTINGS.rules, grid: GRID_SETTINGS.rules },
};

/** The tracker `name`'s estimates for `input`, as `settings` configure it. */
export function trackWith(name: TrackerName, input: TrackInput, settings: TrackSettings): Estimates {
  return TRACKERS[name].track(input, settings);
}
