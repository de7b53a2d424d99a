// @ts-check

/**
 * Only packages of the shared services account name the dev version they were
 * promoted from (src/lineage/trustedSource.ts): what a dev account's package
 * claimed is forgotten. The sync writes the column again for central packages.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('ml_model_versions')
    .whereNotNull('source_arn')
    .whereNotIn(
      'account_id',
      knex('ml_accounts')
        .where({ stage: 'shared-services' })
        .select('account_id'),
    )
    .update({ source_arn: null });
};

/** @returns {Promise<void>} */
exports.down = async function down() {};
