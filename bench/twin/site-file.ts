// A site given on the command line: a plain site map, or a scenario file's
// site (such as a run folder's scenario.json).
import { readFileSync } from 'node:fs';
import type { Site } from '../../engine/contract/site.ts';
import { withoutBom } from '../../engine/contract/text.ts';
import { parseSite, readSiteFile } from '../../engine/io/site-reader.ts';
import { loadScenario } from '../../scenarios/load.ts';

export function readSiteOrScenario(path: string): Site {
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(readFileSync(path, 'utf8')));
  } catch {
    return readSiteFile(path); // reports the read or JSON error
  }
  return typeof raw === 'object' && raw !== null && 'site' in raw ? loadScenario(path).site : parseSite(raw, path);
}
