// @ts-check

/**
 * The pipeline execution that registered each version (MetadataProperties.GeneratedBy),
 * for the lineage graph. Versions stored before this column existed are read
 * again in full on the next sync, so the column fills without waiting for
 * each version to change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ml_model_versions', table => {
    table
      .string('generated_by', 400)
      .nullable()
      .comment(
        'MetadataProperties.GeneratedBy: the pipeline execution that registered it',
      );
  });
  await knex('ml_accounts').update({ versions_cursor: null });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ml_model_versions', table => {
    table.dropColumn('generated_by');
  });
};
