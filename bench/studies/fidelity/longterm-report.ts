// The ageing twin's growth curve as Markdown (bench/results/fidelity-longterm.md):
// per compared month, the survey's age and the engine's median error with the
// survey per localizer, real beside simulated, then how much each grew since
// the first month, real beside predicted.
import { TWIN_LOCALIZERS } from '../../../engine/localize/index.ts';
import { fixedOr, markdownTable } from '../../../reports/table.ts';
import type { AgeingReport } from '../../twin/ageing.ts';

const medianOf = (p: AgeingReport['parts'][number], localizer: string) => p.rows.find((r) => r.metric === 'median error m' && r.of === `${localizer}, survey`);

export function longtermMarkdown(report: AgeingReport, about: string): string {
  const localizers = TWIN_LOCALIZERS;
  const first = report.parts[0];
  const f = (x: number | undefined): string => fixedOr(x, 2);
  const cells = (get: (p: AgeingReport['parts'][number], l: string) => [number | undefined, number | undefined]) =>
    report.parts.map((p) => [p.label.replace('month ', ''), p.ageDays.toFixed(0), ...localizers.flatMap((l) => get(p, l).map(f))]);
  const header = ['month', 'survey age, days', ...localizers.flatMap((l) => [`${l} real`, `${l} sim`])];
  const level = cells((p, l) => [medianOf(p, l)?.real, medianOf(p, l)?.sim]);
  const growth = cells((p, l) => {
    const now = medianOf(p, l), then = medianOf(first, l);
    return now && then ? [now.real - then.real, now.sim - then.sim] : [undefined, undefined];
  });
  const { driftSigmaInfDb, driftTimeDays } = report.radio.wifi;
  // The later half of the months, where the drift has saturated (T is under three months).
  const late = growth.slice(Math.ceil(growth.length / 2));
  const lateMean = (col: number): string => f(late.reduce((a, r) => a + Number(r[col]), 0) / late.length);
  const summary = localizers.map((l, k) => `${l} ${lateMean(2 + 2 * k)} real, ${lateMean(3 + 2 * k)} sim`).join('; ');
  return `# Survey ageing: the twin of wifi-longterm-uji (npm run fidelity)

${about}. Source: UJI_LIB_DB_v2 (Mendoza-Silva et al., Data 2018, 3, 3; Zenodo 10.5281/zenodo.1066041, CC BY 4.0).
The twin's drift between survey and use: σ∞ ${driftSigmaInfDb} dB, T ${driftTimeDays} days (radio.wifi.driftSigmaInfDb, driftTimeDays; bench/results/radio-drift.md).
Reports: ${report.reports.calibrate.toLocaleString('en-US')} calibrate, ${report.reports.realTest.toLocaleString('en-US')} real and ${report.reports.simTest.toLocaleString('en-US')} simulated compared.

## Engine median error with the survey, m

${markdownTable(header, level, 1)}

## Growth since month ${first.label.replace('month ', '')}: predicted (sim) beside real, m

${markdownTable(header, growth, 1)}

Mean growth over months ${late[0]?.[0]}-${late[late.length - 1]?.[0]}, m: ${summary}.
`;
}
