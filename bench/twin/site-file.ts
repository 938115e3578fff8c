// A site given on the command line: a plain site map, or a scenario file's
// site (such as a run folder's scenario.json), or where names are allowed a
// built-in scenario's.
import { readFileSync } from 'node:fs';
import type { Site } from '../../engine/contract/site.ts';
import { withoutBom } from '../../engine/contract/text.ts';
import { parseSite, readSiteFile } from '../../engine/io/site-reader.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';

/** The site, and the scenario when it came from one (its device mix and privacy rules go with it). */
export interface SiteSource {
  site: Site;
  scenario?: Scenario;
}

/**
 * `arg` as a site map or a scenario file; with `names`, a built-in scenario's name too (anything with no '/' and no '.json');
 * with `unplaced`, a site map's APs may leave their place to a survey (engine/io/site-reader.ts).
 */
export function readSiteSource(arg: string, opts: { names?: boolean; unplaced?: boolean } = {}): SiteSource {
  if (opts.names && !arg.includes('/') && !arg.endsWith('.json')) {
    const scenario = loadScenario(arg);
    return { site: scenario.site, scenario };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(readFileSync(arg, 'utf8')));
  } catch {
    return { site: readSiteFile(arg, opts) }; // reports the read or JSON error
  }
  if (typeof raw === 'object' && raw !== null && 'site' in raw) {
    const scenario = loadScenario(arg);
    return { site: scenario.site, scenario };
  }
  return { site: parseSite(raw, arg, opts) };
}

export const readSiteOrScenario = (path: string, opts: { unplaced?: boolean } = {}): Site => readSiteSource(path, opts).site;
