// Every threshold the engine uses, named and documented, with its default
// in one place so a sweep can vary any of them by path (e.g. contacts.distanceM).
import { DEFAULT_PRIVACY, type PrivacyRules } from './contract/privacy.ts';
import type { Tech } from './contract/site.ts';

export interface RangingModel {
  /** Expected RSSI at 1 m from the AP, dBm. */
  refRssiDbmAt1m: number;
  /** Log-distance path-loss exponent. */
  pathLossExponent: number;
  /** Spread of RSSI around the model, dB (weights the ranges). */
  sigmaDb: number;
}

export interface LocalizeConfig {
  /** Use at most this many APs per fix, strongest first. */
  maxAps: number;
  /**
   * Fewer distinct APs than this on the fix's floor (the strongest AP's floor)
   * in an epoch: no fix. The weighted centroid needs 1; WLS falls back to the
   * centroid below 3.
   */
  minAps: number;
  /** Gauss-Newton iterations per fix (at most; stops early on convergence). */
  iterations: number;
  /** Gauss-Newton stops once a step is shorter than this, metres (far below any fix error that matters). */
  convergenceM: number;
  /** AP mounting height above the floor, metres (ranges are 3-D, fixes 2-D). */
  apHeightM: number;
  /** Assumed device height above the floor (hand, pocket, lanyard), metres. */
  deviceHeightM: number;
  /** A range shorter than the height difference still means "about here": horizontal range floor, metres. */
  minHorizontalRangeM: number;
  /**
   * sqrt(λ1+λ2) of the fix covariance times this is the reported errorRadiusM.
   * 1.07 would make it a 68% radius for a round 2-D Gaussian (P(r ≤ 1.51σ)
   * = 0.68, sqrt(λ1+λ2) = 1.41σ); 1.3 because fix errors are heavier-tailed
   * and biased by walls and shadowing (measured on office seeds 1-5: 1.07
   * covered only 44-59%).
   */
  errorRadiusScale: number;
  /**
   * Centroid weight of an AP = 10^(k·(rssi − rssiStrongest)/10): k = 1 weights
   * by received power, smaller k flattens (k = 0.5 with exponent 3 ≈ 1/d^1.5).
   */
  centroidWeightExponent: number;
  /** A centroid has no covariance: this nominal radius marks it as coarse, metres. */
  centroidErrorRadiusM: number;
  /** kNN radio map: predicted RSSI on a grid of this spacing, metres. */
  knnGridM: number;
  /** kNN: the k best-matching grid cells are averaged. */
  knnK: number;
  /** kNN: match RSSI up to a common offset (unknown device gain / transmit power). */
  knnOffsetInvariant: boolean;
  /** kNN: the weighted spread of the k cells times this is the reported errorRadiusM (2: at 1.5, office seed 1 covered only 46-55%). */
  knnRadiusScale: number;
  /** Map localizer: use at most this many APs per fix, strongest first (the map models weak, far APs as well as near ones). */
  mapMaxAps: number;
  /**
   * Map localizer: how far the kriged survey map itself is off, dB; added
   * to the fading each epoch's mean still carries (from the survey's own
   * reading spread) to weigh each AP. Still best at 1.5 with the
   * 120-reading survey, whose map is off by 0.4 dB at seats (office seeds
   * 1-5 median ble-badge contact F1 0.896 / 0.916 / 0.929 / 0.922 / 0.907
   * at 0.5 / 1 / 1.5 / 2 / 2.5): it also smooths the likelihood over cells.
   */
  mapErrorSigmaDb: number;
  /**
   * Map localizer: a coarse block is searched cell by cell when its
   * representative's misfit (χ², weighted) is within this of the best one's
   * (a block's best cell can beat its representative by that much).
   */
  mapCoarseMarginChi2: number;
  /**
   * Map localizer: the same margin for a fix from pooled means (its
   * best-heard AP holds at least mapCensorMinReports reports: a stay). Their
   * misfit climbs steeply away from the best cell, so a block's
   * representative 1.4 m from it can sit tens above it, and at the per-epoch
   * margin the right block was sometimes never searched (office seed 1: a
   * badge seated at (39.0, 15.9) fixed at (34.4, 22.8) for a whole stay).
   */
  mapPooledMarginChi2: number;
  /**
   * Map localizer: the fix is the mean of the likelihood raised to this
   * power (1: the posterior mean; larger leans towards the most likely cell,
   * which a broad, lopsided likelihood pulls less towards the floor's middle);
   * its radius is the sharpened spread times √mapSharpen (exact for a Gaussian).
   */
  mapSharpen: number;
  /**
   * Map localizer: the posterior spread times this is the reported
   * errorRadiusM (only what is reported: consumers divide it back out).
   * Office seeds 1-5 median share of fixes within their radius at 0.6 /
   * 0.65 / 0.72: ble-badge 0.74 / 0.78 / 0.82, wifi 0.70 / 0.75 / 0.80,
   * ble-app 0.73 / 0.77 / 0.83, wifi-probe (one burst, never pooled) 0.51 /
   * 0.55 / 0.60: with the 120-reading survey the pooled fixes' radii
   * (which carry mapErrorSigmaDb) run wide.
   */
  mapRadiusScale: number;
  /**
   * Map localizer: once the device's best-heard AP holds at least this many
   * reports, each AP's mean is taken down by what censoring at the receiver's
   * sensitivity adds to it, from its share of those reports
   * (engine/calibrate/censoring.ts); a huge value = never. Fewer reports tell the
   * share too coarsely (one epoch of a phone: 1 of 2). With the survey's
   * correction (survey.censorCorrect), office seeds 1-5 median per-stay bias
   * of seated ble-badge fixes 0.35 → 0.31 m (RMS 0.70 → 0.53 m), contact F1
   * ble-badge 0.81 → 0.85, wifi 0.82 → 0.83 (with survey.fitCorrelation and
   * fitWallStep); the pooled side alone: 0.83 / 0.82.
   */
  mapCensorMinReports: number;
  /**
   * Each stay of a device (epochs whose RSSI and own fixes agree, see
   * engine/localize/stays.ts) is fixed once from its RSSI pooled over the
   * stay, at most this long per pooled fix, seconds; 0 = every epoch fixed
   * from its own readings alone. Office seeds 1-5 median contact F1
   * ble-badge / wifi: 0.71 / 0.58 at 0, 0.80 / 0.82 at 300 s (900 and
   * 3600 s alike on seed 2: stays end sooner).
   * Only with a site survey: over the model alone (campus 1,000 occupants)
   * pooled stale APs made 1.8× the fixes at a worse median (8.0 vs 7.1 m
   * wifi; contact F1 0.05 → 0.13, useless either way) and doubled the
   * engine's time at 10,000 occupants.
   */
  stillPoolS: number;
  /**
   * An epoch whose per-AP means differ from its stay's pooled means by more
   * than this (mean squared difference in units of its fading variance)
   * ends the stay. Office seed 2, two blips held: χ² 1 / 1.25 gave moving
   * devices' median error wifi 1.74 / 1.80 m, contact F1 wifi 0.775 / 0.781;
   * seed 1, χ² 2 and one blip: 1.95 m, 0.833.
   */
  stillPoolChangeChi2: number;
  /**
   * An epoch whose own fix lies farther from the mean of its stay's own
   * fixes than this (squared distance over both spreads, per-axis
   * variances summed) ends the stay: a walker a few metres on, whose RSSI
   * change the shared-AP average dilutes (seed 2, before blips were held:
   * 4 and 9 alike on moving devices, contact F1 wifi 0.73 vs 0.77).
   */
  stayMoveChi2: number;
  /**
   * A stay of fewer epochs with a fix keeps each epoch's own fix: two or
   * three fixes of a walker can agree, more rarely do (seed 2, before blips
   * were held: 4 / 5 / 8 alike on moving devices, contact F1 wifi 0.77 /
   * 0.77 / 0.74; 3 let walkers' pairs pool, moving wifi 2.37 m).
   */
  stayMinEpochs: number;
  /**
   * Epochs in a row that disagree with a stay and yet do not end it when the
   * next agrees again (a fading blip, not a move); seed 1, χ² 2: contact F1
   * wifi 0.79 → 0.83 with 1 against 0.
   */
  stayBlipEpochs: number;
}

export interface TrackConfig {
  /** Tracking filter over each device's fixes, by name (see engine/track/); 'none' reports the per-epoch fixes. Without pooled stays (no survey, or localize.stillPoolS 0). */
  filter: 'kalman' | 'particle' | 'grid' | 'none';
  /**
   * With pooled stays: the filter over the walks between them (each stay's
   * first and last fix as anchors; engine/track/walks.ts); the stays keep
   * their pooled fix. Office seed 2, moving devices' median error against
   * per-epoch fixes (wifi / ble-badge / ble-app 2.21 / 1.30 / 1.71 m):
   * grid 1.80 / 1.06 / 1.40 m (−19 / −18 / −18%), kalman 2.07 / 1.31 / 1.71 m.
   * Grid costs (locate, 2 workers, loaded machine): retail seed 1 (walkers, wide fixes) 1.45× kalman's (2.6× before gridSupportMaxM and the reach window).
   */
  walkFilter: 'kalman' | 'particle' | 'grid' | 'none';
  /** Smooth the filtered tracks backwards (RTS, engine/track/rts-smoother.ts): every position also uses later fixes. */
  smooth: boolean;
  /**
   * Spectral density of a walker's random acceleration, m²/s³: how fast the
   * filter lets a seated device start walking (larger follows turns sooner,
   * smaller averages more).
   */
  accelNoiseM2PerS3: number;
  /** The same while the device sits still: small, so its fixes average over many epochs. */
  stillAccelNoiseM2PerS3: number;
  /**
   * A fix whose squared Mahalanobis distance from the still prediction
   * exceeds this is taken as walking (accelNoiseM2PerS3 for that step).
   */
  walkStartChi2: number;
  /** Fastest plausible indoor walk, m/s: the filter's velocity never exceeds it. */
  maxSpeedMps: number;
  /**
   * Innovation gate: a fix whose squared Mahalanobis distance from the
   * prediction exceeds this has its variance inflated onto the gate
   * (13.8 = 99.9% of a 2-D Gaussian).
   */
  gateChi2: number;
  /** Particle filter: particles per device. */
  particles: number;
  /** Particle filter: sd of a particle's random walk per second of elapsed time, m/s. */
  particleWalkSdMps: number;
  /** Particle filter: share of particles redrawn around each fix (recovery from a wrong room). */
  particleRedrawShare: number;
  /** A device unseen for longer than this starts a new track, seconds. */
  resetAfterS: number;
  /** Grid tracker (engine/track/grid-hmm.ts): side of a floor cell, m. */
  gridCellM: number;
  /** Grid tracker: walking distances are known as far as maxSpeedMps·gridReachS, m; after a longer gap a device that turns up farther off starts a new track. */
  gridReachS: number;
  /** Grid tracker: a fix's likelihood is evaluated out to this many of its sigmas (beyond, the cell is taken as impossible). */
  gridSupportSigmas: number;
  /**
   * Grid tracker: ...and never farther than this, m (unless the track cannot
   * reach that disc). A wide fix (retail's walkers: radii of 10-30 m) otherwise
   * spans a thousand cells and spreads the belief as wide, and each cell costs
   * a step's whole reach. Retail seed 1, engine wall and p90 wifi / ble-badge /
   * ble-app: uncapped 46 s, 5.87 / 4.01 / 8.20 m; 12: 28 s, 5.96 / 4.24 / 8.30;
   * 10: 26 s, 6.04 / 4.36 / 8.48; 7.5: 20 s, 6.12 / 4.42 / 8.86 (shared machine).
   */
  gridSupportMaxM: number;
  /** Grid tracker: after each step, cells whose forward probability is below this share of the step's best are dropped (a beam: they barely move the mean). */
  gridBeamShare: number;
  /** Grid tracker: prior share of fix-to-fix steps in which the device stays put (the rest walk). */
  gridStillShare: number;
  /** The same for walkFilter grid over the walks between stays, where few steps stand still (office seed 1: 0.05 against 0.2, moving median −4%). */
  walkGridStillShare: number;
  /** Grid tracker: how far a device that stays put still drifts between fixes (sd), m. */
  gridStillSdM: number;
  /** Grid tracker: a walking device covers about this much per second between fixes, m/s... */
  gridWalkSpeedMps: number;
  /** ...give or take this (walks start, stop and turn between fixes), m. */
  gridWalkSdM: number;
  /**
   * Grid tracker: the reported radius is never below this share of the fix's
   * own (minRadiusShare for the grid: its posterior, sharper than a fix, is
   * still optimistic about fix errors that repeat from epoch to epoch).
   */
  gridMinRadiusShare: number;
  /**
   * Fix errors are correlated over time (shadowing is a fixed map), so the
   * tracked radius is never reported below this share of the fix's own radius.
   */
  minRadiusShare: number;
}

export interface CalibrateConfig {
  /** Fit the ranging models from AP-to-AP beacons when the input has them (engine/calibrate/). */
  fromApBeacons: boolean;
  /** A band needs at least this many heard AP pairs to be fitted; otherwise its configured ranging stands. */
  minLinks: number;
  /**
   * Take the site map's wall losses off each AP pair before fitting: right
   * for a wall-aware localizer (knn); WLS ignores walls, so it ranges better
   * with the effective (walls-averaged-in) model fitted without.
   */
  subtractWalls: boolean;
  /** Huber threshold of the robust line fit, in robust sigmas (1.345: 95% efficient on Gaussian residuals). */
  huberK: number;
  /**
   * Prior spread of the path-loss exponent around the configured one
   * (ranging.wifi / ranging['ble-badge'] per band): how far AP pairs may move it.
   */
  exponentPriorSd: number;
  /**
   * Nominal transmit power of each device class, dBm (vendor figures: the
   * engine cannot see a device's own). ble-app phones hear the APs' beacons,
   * whose power the site map gives.
   */
  deviceTxPowerDbm: Record<Exclude<Tech, 'ble-app'>, number>;
}

export interface SurveyMapConfig {
  /** Build a radio map from a site survey when the input has one (engine/calibrate/survey-map.ts). */
  fromSurvey: boolean;
  /** Map grid spacing, metres: the finest position the map localizer resolves. */
  gridM: number;
  /**
   * Distance over which the model's misfit (the site's shadowing) stays
   * alike, metres: the kriging covariance range. Indoor shadowing decorrelates
   * over a few metres (3-4 m in the office scenario).
   */
  correlationM: number;
  /**
   * The map localizer searches blocks of coarseStep × coarseStep cells first
   * (one cell each), then every cell of the blocks around the likely ones.
   */
  coarseStep: number;
  /** Kriging works block by block, blocks this wide, metres ... */
  blockM: number;
  /** ... each with the survey points within this distance of it (beyond two ranges a point adds nothing), metres. */
  neighbourhoodM: number;
  /**
   * Take each surveyed (point, AP) mean down by what censoring at the
   * receiver's sensitivity (the survey's weakest reading) adds to it, read
   * from its level (engine/calibrate/censoring.ts). Office seeds 1-4 map
   * error at seats against the simulator's own field, BLE / Wi-Fi: 1.19 /
   * 0.98 dB without, 1.02 / 0.83 with (range fitted).
   */
  censorCorrect: boolean;
  /** A censoring correction never goes past what this hearing share implies (near the sensitivity the heard mean no longer tells the link's). */
  censorMinShare: number;
  /**
   * Fit the kriging range per band to the survey's own variogram
   * (engine/calibrate/variogram.ts), correlationM the prior and the scale of
   * the lags fitted. Office: BLE 3 m, Wi-Fi 4.25 m (the simulator's 3 and 4);
   * Wi-Fi map error at seats 0.95 → 0.83 dB.
   */
  fitCorrelation: boolean;
  /**
   * Fit a step for links behind a wall (beyond the walls' own losses: deeper
   * fading lowers their mean in dB) into the map's model part, so kriging
   * does not smear it across walls.
   */
  fitWallStep: boolean;
}

export interface EngineConfig {
  /** Localization epoch: one fix per device per epoch from the RSSI heard in it. */
  epochMs: number;
  /** Localization method, by name (see engine/localize/); 'map' needs a site survey and is WLS without one. */
  localizer: 'wls' | 'centroid' | 'knn' | 'map';
  localize: LocalizeConfig;
  track: TrackConfig;
  calibrate: CalibrateConfig;
  survey: SurveyMapConfig;
  /** Calibrated log-distance ranging per technology. */
  ranging: Record<Tech, RangingModel>;
  contacts: {
    /** Two estimates closer than this count as exposure, metres. */
    distanceM: number;
    /** Cumulative exposure needed to report a contact, seconds. */
    minExposureS: number;
    /** Close-pair search, by name (see engine/contacts/): 'grid' is the fast one, 'all-pairs' the reference. */
    detector: 'grid' | 'all-pairs';
    /**
     * A device's fixes at most this far apart are joined (linearly) at every
     * epoch between them before pairing, seconds; pairs are only compared at
     * epochs where both have a position, so without it two phones that report
     * every 10 s on alternate epochs never meet (retail wifi contact recall 0.01).
     */
    fillGapS: number;
    /**
     * Each fix is averaged with its device's fixes within ± half this window
     * before pairing, seconds; 0 = off. Office seeds 1-5 median F1 with the
     * survey-map localizer, ble-badge / wifi: 0.69 / 0.51 at 0, 0.74 / 0.60
     * at 60 s, 0.73 / 0.62 at 120 s, 0.72 / 0.61 at 300 s (longer windows blur walks).
     */
    smoothWindowS: number;
    /**
     * Weigh each close epoch by the chance the pair was really within
     * distanceM, from both error radii (else: 1 within distanceM). Off by
     * default: the radii are too wide to tell 1.8 m desk neighbours from
     * 2.5 m diagonal ones, so only the closest pairs reach the minimum
     * (office seeds 1-5 median F1, survey-map localizer: 0.60 → 0.38 wifi,
     * 0.74 → 0.62 ble-badge; 0.45 → 0.16 and 0.41 → 0.25 with WLS).
     */
    uncertaintyAware: boolean;
    /** Uncertainty-aware: pairs estimated up to this far apart are weighed, metres. */
    uncertaintySearchM: number;
    /**
     * No exposure when a wall of the site map lies between the two fixes.
     * Off by default: the truth counts contacts through walls too, and fixes
     * near glass walls land on the wrong side (office seeds 1-5 median F1,
     * survey-map localizer: wifi 0.60 → 0.61, ble-badge 0.74 → 0.74,
     * ble-app 0.67 → 0.65).
     */
    roomAware: boolean;
  };
  journeys: {
    /**
     * Fixes are averaged over this window before zone assignment, seconds.
     * Office seeds 1-5 median visit F1 ble-badge (dwell error) with the
     * survey-map localizer: 0.980 (14 s) at 30, 0.984 (21 s) at 60, 0.976
     * (30 s) at 90, 0.963 (47 s) at 150; retail (WLS) 0.796 at 60, 0.775 at 90.
     */
    smoothWindowS: number;
    /** A fix votes for a zone the device is not in only when at least this far inside it, metres. */
    marginM: number;
    /**
     * A fix outside every zone counts for the zone whose edge is nearest, if
     * that is within this distance, metres (0 = off). Fixes in rooms at the
     * building's edge are pulled out of them (office coffee corner: 23% of
     * ble-badge WLS fixes fell outside every zone); office seeds 1-5 ble-badge
     * visit F1 median with WLS 0.847 → 0.901 at 2 m (0.895 at 1 m, 0.894
     * at 3 m); the survey-map localizer keeps fixes on walkable cells, so
     * there it changes nothing.
     */
    snapM: number;
    /**
     * A new zone must hold this long (at least this many seconds of
     * consecutive epochs, so ≥ 2 at 5 s) before the device moves into it;
     * smoothing already damps flicker, so longer holds mostly lose short visits.
     */
    switchAfterS: number;
    /** Visits shorter than this are dropped (walking through, stray fixes), seconds. */
    minDwellS: number;
    /** No fix for this long ends a visit (the device left or went silent), seconds. */
    maxGapS: number;
  };
  hotZones: {
    /** Occupancy is counted per zone over intervals this long, seconds. */
    intervalS: number;
    /**
     * Devices of these technologies are counted. Not wifi-probe: randomized
     * MACs make one phone many devices.
     */
    techs: Tech[];
    /**
     * Count devices the site binds to one person (phone, badge, app) once;
     * needs bindings passed to runEngine, else every device counts alone.
     */
    dedupeBound: boolean;
    /**
     * Share of occupants who carry at least one counted device, from the
     * site's own survey (registered badges, app uptake, Wi-Fi association
     * rate). Capacity baselines are scaled by it so device counts compare
     * with a capacity in people; 1 when everyone carries one (the office).
     */
    countedShare: number;
    /** Baseline per zone: its capacity, or its typical occupancy at that time of day learned from the data (median over days). */
    baseline: 'capacity' | 'learned';
    /** Learned baseline: time-of-day slots this long, seconds. */
    learnedSlotS: number;
    /** Learned baseline: never below this many holders, so a zone empty at that hour does not alert on one person. */
    minLearnedBaseline: number;
    /** Hot when occupancy > alertFactor × baseline ... */
    alertFactor: number;
    /**
     * ... for this long, seconds (rounded up to whole intervals, at least one).
     * Seeds 1-5 with the survey-map localizer: retail lunch-crowd delays
     * 90/60/60/90/30 s at 60 (60/30/30/60/0 at 30); office seeds 1-7
     * false-alarm minutes 10.5 in all at 60, 46.5 at 30 (rooms one over capacity).
     */
    alertForS: number;
    /** The alert clears once occupancy ≤ clearFactor × baseline ... */
    clearFactor: number;
    /** ... for this long, seconds. */
    clearForS: number;
  };
  /** Phone-to-phone exposure, Exposure Notification v2 style (engine/proximity/). */
  proximity: {
    /** Advertised calibrated transmit power; attenuation = this − RSSI, dBm. */
    txPowerDbm: number;
    /** Samples of one phone pair within this long form one scan instance, seconds. */
    scanS: number;
    /**
     * Attenuation bucket edges, dB: immediate ≤ [0] < near ≤ [1] < medium ≤ [2] < other.
     * Defaults tuned on simulated office seeds 1-3 (F1 0.67/0.71/0.61); real
     * phones need their own calibration (pcng pairs tune to 64-106 dB, see bench/studies/real-data/en-proximity.ts).
     */
    attenuationThresholdsDb: [number, number, number];
    /** Weight of a minute in each bucket: immediate, near, medium, other. */
    bucketWeights: [number, number, number, number];
    /** An exposure needs at least this many weighted minutes. */
    minWeightedMinutes: number;
  };
  /** Worker threads for localization; 0 runs it inline on the calling thread. */
  workers: number;
  /**
   * Observations per worker task span this much time (rounded to whole
   * epochs): bounds the memory in flight and sets the progress granularity.
   */
  chunkMs: number;
  /** Retention and per-device-class consent for what the store keeps (see engine/contract/privacy.ts). */
  privacy: PrivacyRules;
}

export const DEFAULT_CONFIG: EngineConfig = {
  epochMs: 5000,
  localizer: 'map',
  localize: {
    maxAps: 6,
    minAps: 3,
    iterations: 10,
    convergenceM: 0.01,
    apHeightM: 2.5,
    deviceHeightM: 1.2,
    minHorizontalRangeM: 0.3,
    errorRadiusScale: 1.3,
    centroidWeightExponent: 0.5,
    centroidErrorRadiusM: 8,
    knnGridM: 1,
    knnK: 20,
    knnOffsetInvariant: false,
    knnRadiusScale: 2,
    mapMaxAps: 12,
    mapErrorSigmaDb: 1.5,
    mapCoarseMarginChi2: 6,
    mapPooledMarginChi2: 40,
    mapSharpen: 3,
    mapRadiusScale: 0.6,
    mapCensorMinReports: 20,
    stillPoolS: 300,
    stillPoolChangeChi2: 1.25,
    stayMoveChi2: 9,
    stayMinEpochs: 5,
    stayBlipEpochs: 2,
  },
  track: { filter: 'kalman', walkFilter: 'grid', smooth: true, accelNoiseM2PerS3: 1, stillAccelNoiseM2PerS3: 0.05, walkStartChi2: 4, maxSpeedMps: 2, gateChi2: 13.8, resetAfterS: 120, minRadiusShare: 1, gridCellM: 1.25, gridReachS: 10, gridSupportSigmas: 2.5, gridSupportMaxM: 12, gridBeamShare: 0.01, gridStillShare: 0.2, walkGridStillShare: 0.05, gridStillSdM: 0.5, gridWalkSpeedMps: 1.2, gridWalkSdM: 1, gridMinRadiusShare: 0.8, particles: 100, particleWalkSdMps: 0.3, particleRedrawShare: 0.1 },
  calibrate: { fromApBeacons: true, minLinks: 6, subtractWalls: false, huberK: 1.345, exponentPriorSd: 0.3, deviceTxPowerDbm: { wifi: 15, 'wifi-probe': 15, 'ble-badge': 0 } },
  survey: { fromSurvey: true, gridM: 0.5, coarseStep: 4, correlationM: 3, blockM: 3, neighbourhoodM: 4.5, censorCorrect: true, censorMinShare: 0.1, fitCorrelation: true, fitWallStep: true },
  ranging: {
    wifi: { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 5 },
    'wifi-probe': { refRssiDbmAt1m: -30, pathLossExponent: 3.0, sigmaDb: 6 },
    'ble-badge': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
    'ble-app': { refRssiDbmAt1m: -45, pathLossExponent: 2.5, sigmaDb: 4 },
  },
  contacts: {
    distanceM: 2,
    minExposureS: 900,
    detector: 'grid',
    fillGapS: 30,
    smoothWindowS: 60,
    uncertaintyAware: false,
    uncertaintySearchM: 6,
    roomAware: false,
  },
  journeys: { smoothWindowS: 60, marginM: 0.5, snapM: 2, switchAfterS: 10, minDwellS: 120, maxGapS: 300 },
  hotZones: {
    intervalS: 30,
    techs: ['wifi', 'ble-badge', 'ble-app'],
    dedupeBound: true,
    countedShare: 1,
    baseline: 'capacity',
    learnedSlotS: 3600,
    minLearnedBaseline: 2,
    alertFactor: 1,
    alertForS: 60,
    clearFactor: 0.9,
    clearForS: 120,
  },
  proximity: { txPowerDbm: 0, scanS: 4, attenuationThresholdsDb: [46, 48, 50], bucketWeights: [1.5, 1, 0.5, 0], minWeightedMinutes: 15 },
  workers: 2,
  chunkMs: 3_600_000,
  privacy: DEFAULT_PRIVACY,
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** DEFAULT_CONFIG with `overrides` merged in, nested objects key by key. */
export function resolveConfig(overrides: DeepPartial<EngineConfig> = {}): EngineConfig {
  return mergeDeep(DEFAULT_CONFIG, overrides);
}

function mergeDeep<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return structuredClone(base);
  if (typeof base !== 'object' || base === null || Array.isArray(over)) return structuredClone(over) as T;
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over as object)) {
    if (v !== undefined) out[k] = mergeDeep((base as Record<string, unknown>)[k], v);
  }
  return out as T;
}
