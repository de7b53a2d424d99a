// @ts-check

/**
 * What a version page needs beyond the registry: each version's project and
 * training data, its approval history, the model cards, and the accounts'
 * SageMaker projects and Studio domains.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ml_accounts', table => {
    table
      .timestamp('resources_synced_at', { useTz: true })
      .nullable()
      .comment(
        'When projects and domains were last read; they are read less often than the registry',
      );
  });
  await knex.schema.alterTable('ml_model_versions', table => {
    table
      .string('project_id', 40)
      .nullable()
      .comment(
        'MetadataProperties.ProjectId: the SageMaker project that registered it',
      );
    table
      .text('training_data')
      .nullable()
      .comment(
        "The 'training-data' metadata: S3 prefix, Athena table, DataZone asset or feature group",
      );
  });
  await knex.schema.createTable('ml_version_history', table => {
    table.comment('Append-only: every approval state a version was seen in');
    table.bigIncrements('id').primary();
    table.string('arn', 400).notNullable();
    table.string('approval_status', 32).notNullable();
    table.text('approval_description').nullable();
    table.string('changed_by', 400).nullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(['arn']);
  });
  await knex.schema.createTable('ml_model_cards', table => {
    table.comment('The latest version of each model card');
    table.string('arn', 400).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('name', 63).notNullable();
    table.integer('version').notNullable();
    table.string('status', 32).notNullable();
    table.text('content').nullable();
    table.timestamp('last_modified_at', { useTz: true }).notNullable();
    table.unique(['account_id', 'name']);
  });
  await knex.schema.createTable('ml_resources', table => {
    table.comment('SageMaker projects and Studio domains of every account');
    table.string('arn', 400).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('kind', 20).notNullable().comment('project or domain');
    table
      .string('resource_id', 40)
      .notNullable()
      .comment('ProjectId or DomainId');
    table.string('name', 120).notNullable();
    table.text('description').nullable();
    table.string('status', 32).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['account_id', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ml_resources');
  await knex.schema.dropTable('ml_model_cards');
  await knex.schema.dropTable('ml_version_history');
  await knex.schema.alterTable('ml_model_versions', table => {
    table.dropColumn('project_id');
    table.dropColumn('training_data');
  });
  await knex.schema.alterTable('ml_accounts', table => {
    table.dropColumn('resources_synced_at');
  });
};
