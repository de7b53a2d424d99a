// @ts-check

/**
 * A promotion is run by the replica holding its lease: a running promotion
 * whose replica died is taken over once the lease has expired. Rows made
 * before leases existed have none, so a promotion they show running is free.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ml_promotions', table => {
    table
      .string('lease_owner', 100)
      .nullable()
      .comment('The replica running the promotion');
    table
      .timestamp('lease_expires_at', { useTz: true })
      .nullable()
      .comment('When another replica may take the promotion over');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ml_promotions', table => {
    table.dropColumn('lease_owner');
    table.dropColumn('lease_expires_at');
  });
};
