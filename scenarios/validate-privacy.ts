// The scenario's optional `privacy` section: retention and per-device-class
// collection rules, each falling back to the engine's default.
import { COLLECTION_POLICIES, DEFAULT_PRIVACY, type CollectionPolicy, type PrivacyRules } from '../engine/contract/privacy.ts';
import { TECHS, type Tech } from '../engine/contract/site.ts';
import type { Reader } from './read.ts';
import { LIMITS } from './limits.ts';

export function readPrivacy(r: Reader, v: unknown): PrivacyRules {
  if (v === undefined) return structuredClone(DEFAULT_PRIVACY);
  const o = r.object(v, 'privacy', [], ['retentionDays', 'collection', 'optedIn']);
  const retentionDays = o.retentionDays === undefined ? DEFAULT_PRIVACY.retentionDays : r.within(o.retentionDays, 'privacy.retentionDays', LIMITS.retentionDays);
  const collection = { ...DEFAULT_PRIVACY.collection };
  if (o.collection !== undefined) {
    for (const [tech, policy] of Object.entries(r.map(o.collection, 'privacy.collection'))) {
      const f = `privacy.collection.${tech}`;
      if (!(TECHS as readonly string[]).includes(tech)) r.fail(f, `unknown technology '${tech}' (expected one of ${TECHS.join(', ')})`);
      if (!(COLLECTION_POLICIES as readonly unknown[]).includes(policy)) r.fail(f, `must be one of ${COLLECTION_POLICIES.join(', ')}, got ${JSON.stringify(policy)}`);
      collection[tech as Tech] = policy as CollectionPolicy;
    }
  }
  const optedIn = o.optedIn === undefined ? [] : r.array(o.optedIn, 'privacy.optedIn').map((id, i) => r.string(id, `privacy.optedIn[${i}]`));
  return { retentionDays, collection, optedIn };
}
