// The self-contained HTML report: charts inlined as SVG, styles inline, no
// scripts or network fetches, so it opens offline from a file or an artifact.
import type { Chart } from './charts.ts';
import { HEADLINE_HEADER, headlineRows } from './markdown.ts';
import { runLabel, type RunData } from './run-data.ts';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem}td.n{text-align:right}
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}svg{max-width:100%;height:auto}`;

export function htmlReport(runs: readonly RunData[], charts: readonly { chart: Chart; svg: string }[], markdownNote: string): string {
  const rows = headlineRows(runs)
    .map((r) => `<tr><td>${esc(r.run)}</td><td>${esc(r.tech)}</td>${r.cells.map((c) => `<td class="n">${esc(c)}</td>`).join('')}</tr>`)
    .join('\n');
  const figures = charts
    .map(({ chart, svg }) => `<figure class="chart" id="${esc(chart.name)}" data-chart="${esc(chart.name)}">\n<figcaption>${esc(chart.title)}</figcaption>\n${svg}\n</figure>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ctsim report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>ctsim report</h1>
<p>${esc(markdownNote)}</p>
<p>Radio world: ${runs.map((r) => esc(runs.length > 1 ? `${runLabel(r, runs)}: ${r.world}` : r.world)).join('; ')}. The ideal world is an upper bound; real sites are nearer the realistic one (README, <i>How far to trust the default figures</i>).</p>
<table>
<thead><tr><th>run</th><th>technology</th>${HEADLINE_HEADER.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${figures}
</body>
</html>
`;
}
