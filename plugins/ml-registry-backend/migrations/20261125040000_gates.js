// @ts-check

/**
 * The approval gates: an append-only audit log of every gate action, the
 * decisions taken through Backstage (one per version and gate, so two
 * approvals of one gate cannot both win), and promotions with their progress.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ml_audit', table => {
    table.comment(
      'Append-only: who did what to which version, when, why, and how it ended',
    );
    table.bigIncrements('id').primary();
    table.timestamp('at', { useTz: true }).notNullable();
    table
      .string('actor', 400)
      .notNullable()
      .comment('A user entity ref, or the plugin itself for automatic steps');
    table.string('action', 40).notNullable();
    table.string('gate', 40).notNullable();
    table
      .string('arn', 400)
      .notNullable()
      .comment('The model package acted on');
    table.text('reason').nullable();
    table
      .string('result', 20)
      .notNullable()
      .comment('ok, failed, denied or conflict');
    table.text('detail').nullable();
    table.index(['arn']);
  });
  await knex.schema.createTable('ml_gate_decisions', table => {
    table.comment(
      'Decisions taken through Backstage: the first claim of a gate wins',
    );
    table.string('arn', 400).notNullable();
    table.string('gate', 40).notNullable();
    table.string('actor', 400).notNullable();
    table.string('decision', 20).notNullable();
    table.text('reason').nullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.primary(['arn', 'gate']);
  });
  await knex.schema.createTable('ml_promotions', table => {
    table.comment(
      'Promotions of dev versions to the central registry, resumable step by step',
    );
    table.string('dev_arn', 400).primary().notNullable();
    table.string('central_arn', 400).nullable();
    table.string('status', 20).notNullable().comment('running, done or failed');
    table.string('step', 40).nullable().comment('The last step reached');
    table.text('error').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ml_promotions');
  await knex.schema.dropTable('ml_gate_decisions');
  await knex.schema.dropTable('ml_audit');
};
