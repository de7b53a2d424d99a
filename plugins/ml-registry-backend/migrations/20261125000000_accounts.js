// @ts-check

/**
 * The configured AWS accounts and the outcome of their last sync.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ml_accounts', table => {
    table.comment('AWS accounts of the ML platform and their sync state');
    table.string('account_id', 12).primary().notNullable();
    table.string('name', 40).notNullable().unique();
    table.string('stage', 20).notNullable();
    table.string('team').nullable();
    table.timestamp('last_sync_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamp('last_error_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ml_accounts');
};
