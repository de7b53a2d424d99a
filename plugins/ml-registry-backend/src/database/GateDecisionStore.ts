import { Knex } from 'knex';

export interface GateDecision {
  arn: string;
  gate: string;
  actor: string;
  decision: 'approve' | 'reject';
  reason?: string;
  decidedAt: Date;
}

function isUniqueViolation(e: any): boolean {
  // PostgreSQL's unique_violation, SQLite's constraint error.
  return (
    e?.code === '23505' || /UNIQUE constraint failed/.test(String(e?.message))
  );
}

/**
 * The decisions taken through Backstage, one per version and gate: the first
 * claim wins, so two people approving one gate at once cannot both act on AWS.
 */
export class GateDecisionStore {
  constructor(private readonly db: Knex) {}

  /** Claims the gate; returns the decision already there when someone else got it first. */
  async claim(
    decision: GateDecision,
  ): Promise<{ claimed: true } | { claimed: false; existing: GateDecision }> {
    try {
      await this.db('ml_gate_decisions').insert({
        arn: decision.arn,
        gate: decision.gate,
        actor: decision.actor,
        decision: decision.decision,
        reason: decision.reason ?? null,
        decided_at: decision.decidedAt,
      });
      return { claimed: true };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.get(decision.arn, decision.gate);
      if (!existing) throw e;
      return { claimed: false, existing };
    }
  }

  /** Gives the gate back when AWS refused the action, so it can be tried again. */
  async release(arn: string, gate: string): Promise<void> {
    await this.db('ml_gate_decisions').where({ arn, gate }).delete();
  }

  async get(arn: string, gate: string): Promise<GateDecision | undefined> {
    const row = await this.db('ml_gate_decisions').where({ arn, gate }).first();
    return row ? toDecision(row) : undefined;
  }

  /** Every decision about any of `arns`. */
  async list(arns: string[]): Promise<GateDecision[]> {
    return (
      await this.db('ml_gate_decisions')
        .whereIn('arn', arns)
        .orderBy('decided_at')
    ).map(toDecision);
  }
}

function toDecision(row: any): GateDecision {
  return {
    arn: row.arn,
    gate: row.gate,
    actor: row.actor,
    decision: row.decision,
    ...(row.reason ? { reason: row.reason } : {}),
    decidedAt: new Date(row.decided_at),
  };
}
