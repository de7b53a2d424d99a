// @ts-check

/**
 * The index on approval_status alone goes: every query filtering on the status
 * also names the account (and the group), which the (account_id, group_name,
 * version) index serves, while each version written paid for this one too; a
 * first sync of 200,000 versions spends most of its PostgreSQL time writing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ml_model_versions', table => {
    table.dropIndex(['approval_status']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ml_model_versions', table => {
    table.index(['approval_status']);
  });
};
