import { Knex } from 'knex';

/**
 * Which dev version a central version came from is trusted, for lineage and
 * for promotion's dedupe, only where the registrant could not have written it:
 *
 * - The sync keeps the `source-model-package-arn` metadata of packages in the
 *   shared services account only (`toVersion`); a dev account's registrant
 *   sets any metadata on their own packages, so theirs is never read.
 * - Of those, a central version counts as the promotion of its named dev
 *   version when Backstage's promotion record says it made it, or, for central
 *   versions promoted before promotion records existed (or outside Backstage),
 *   when the named dev version is known and Approved: nothing else is promoted.
 *
 * Narrows a query over `ml_model_versions as <alias>` with a non-null
 * `source_arn` to the trusted rows.
 */
export function whereSourceTrusted(db: Knex, alias: string) {
  return (q: Knex.QueryBuilder) =>
    q
      .whereExists(promoted =>
        promoted
          .select(db.raw('1'))
          .from('ml_promotions as trusted_p')
          .whereRaw('trusted_p.dev_arn = ??', [`${alias}.source_arn`])
          .whereRaw('trusted_p.central_arn = ??', [`${alias}.arn`]),
      )
      .orWhereExists(approved =>
        approved
          .select(db.raw('1'))
          .from('ml_model_versions as trusted_d')
          .whereRaw('trusted_d.arn = ??', [`${alias}.source_arn`])
          .where('trusted_d.approval_status', 'Approved'),
      );
}
