// @ts-check

/**
 * The model registries of every account: groups and their versions, plus each
 * account's incremental-sync cursor.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ml_accounts', table => {
    table
      .timestamp('versions_cursor', { useTz: true })
      .nullable()
      .comment(
        'LastModifiedTime of the newest version seen by the last good sync',
      );
  });
  await knex.schema.createTable('ml_model_groups', table => {
    table.comment('Model package groups, one row per group per account');
    table.string('arn', 400).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('name', 63).notNullable();
    table.text('description').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['account_id', 'name']);
  });
  await knex.schema.createTable('ml_model_versions', table => {
    table.comment('Model package versions with their approval state');
    table.string('arn', 400).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('group_name', 63).notNullable();
    table.integer('version').notNullable();
    table.string('approval_status', 32).notNullable();
    table.text('approval_description').nullable();
    table.string('created_by', 400).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('last_modified_at', { useTz: true }).notNullable();
    table
      .text('metadata')
      .nullable()
      .comment('CustomerMetadataProperties as JSON');
    table
      .string('source_arn', 400)
      .nullable()
      .comment('The dev package a central one was promoted from');
    table.text('model_data_url').nullable();
    table.index(['account_id', 'group_name', 'version']);
    table.index(['approval_status']);
    table.index(['source_arn']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ml_model_versions');
  await knex.schema.dropTable('ml_model_groups');
  await knex.schema.alterTable('ml_accounts', table => {
    table.dropColumn('versions_cursor');
  });
};
