// @ts-check

/**
 * SageMaker endpoints of every account, with the model package each serves.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ml_endpoints', table => {
    table.comment('SageMaker endpoints and the model package each serves');
    table.string('arn', 400).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('name', 63).notNullable();
    table.string('status', 32).notNullable();
    table.string('model_package_arn', 400).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('last_modified_at', { useTz: true }).notNullable();
    table.index(['account_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ml_endpoints');
};
