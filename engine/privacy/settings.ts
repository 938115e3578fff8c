// The privacy rules as an engine setting: what each rule may be (the rules
// themselves: engine/contract/privacy.ts).
import { COLLECTION_POLICIES, DEFAULT_PRIVACY, MAX_RETENTION_DAYS, type PrivacyRules } from '../contract/privacy.ts';
import { TECHS } from '../contract/site.ts';
import { above, listOf, oneOf, text, type RulesOf, type Settings } from '../settings/rules.ts';

export const PRIVACY_SETTINGS: Settings<PrivacyRules> = {
  defaults: DEFAULT_PRIVACY,
  rules: {
    retentionDays: above(0, MAX_RETENTION_DAYS),
    collection: Object.fromEntries(TECHS.map((t) => [t, oneOf(COLLECTION_POLICIES)])) as RulesOf<PrivacyRules['collection']>,
    optedIn: listOf(text),
  },
};
