// The guard between the survey's path-loss fit and self-calibration
// (engine/pipeline/calibration.ts, selfCalibrate.overSurveyRatio), on real
// BLE fingerprints through the locate path (bench/studies/real-data/uji.ts).
import { describe, expect, it } from 'vitest';
import { evaluateUji } from '../bench/studies/real-data/uji.ts';
import { calibrationSummary } from '../reports/calibration-summary.ts';

describe('survey fit or the log\'s own', () => {
  it('sets aside a survey taken at another power (UJI library, earliest rows -> later): WLS 3.97 m with its fit, under 1.5 m without', async () => {
    const r = await evaluateUji('lib', 'wls', 'time');
    const c = r.calibration!;
    expect(c.source).toBe('self');
    expect(c.surveyCheck!.kept).toBe(false);
    expect(c.surveyCheck!.selfLogResidualDb).toBeLessThan(0.7 * c.surveyCheck!.surveyLogResidualDb);
    expect(c.surveyCheck!.survey.refRssiDbmAt1m).toBeGreaterThan(-50);
    expect(c.refRssiDbmAt1m).toBeLessThan(-54);
    expect(r.score.medianErrorM).toBeLessThan(1.5);
    expect(calibrationSummary({ 'ble-app': c })).toMatch(/ble-app self-calibrated from the log .* \(the survey's fit \(-46\.\d dBm, exponent 3\.\d\d\) set aside: \d+\.\d dB from the log's readings, self-fit \d\.\d dB\)/);
  });

  it('keeps a survey of the same power (UJI library, campaign 2 -> 3), whose fit locates better than the log\'s (1.49 against 1.72 m)', async () => {
    const r = await evaluateUji('lib', 'wls', 'campaign');
    const c = r.calibration!;
    expect(c.source).toBe('survey');
    expect(c.surveyCheck!.kept).toBe(true);
    expect(r.score.medianErrorM).toBeLessThan(1.55);
    expect(calibrationSummary({ 'ble-app': c })).toMatch(/ble-app fitted from the site survey .*residual \d\.\d dB \(\d\.\d dB from the log's readings, self-fit \d\.\d dB: kept\)/);
  });
});
