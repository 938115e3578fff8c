// A localization model from its parts: what a localizer may know about one
// technology (types.ts LocalizeModel), the site's AP-to-device height
// differences worked out once from the site map and the settings.
import type { RangingModel } from '../calibrate/ranging.ts';
import { heightDiff2, type SiteLayout } from './layout.ts';
import type { LocalizeModel, SharedLocalize } from './types.ts';

export function localizeModel<S extends SharedLocalize>(
  layout: SiteLayout, ranging: RangingModel, localize: S, extra: Pick<LocalizeModel<S>, 'map' | 'apGainDb'> = {},
): LocalizeModel<S> {
  return { layout, ranging, localize, heightDiff2M2: heightDiff2(layout, localize), ...extra };
}

/** The slant distance, m, at which the model's ranging line puts AP `ap` from a device reading `rssiDbm` of it. */
export function slantRangeM(model: Pick<LocalizeModel<SharedLocalize>, 'ranging' | 'apGainDb'>, ap: number, rssiDbm: number): number {
  const { refRssiDbmAt1m, pathLossExponent } = model.ranging;
  return 10 ** ((refRssiDbmAt1m + (model.apGainDb ? model.apGainDb[ap] : 0) - rssiDbm) / (10 * pathLossExponent));
}
