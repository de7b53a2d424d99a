/** A promotion refused for what the dev version names, before anything was copied or created. */
export class PromotionRefused extends Error {
  override name = 'PromotionRefused';
}
