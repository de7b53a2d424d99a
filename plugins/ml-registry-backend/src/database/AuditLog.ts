import { Knex } from 'knex';

/** One gate action as the audit log keeps it. */
export interface AuditRecord {
  at: Date;
  /** A user entity ref, or `plugin:ml-registry` for automatic steps (promotion, reconcile). */
  actor: string;
  action: 'approve' | 'reject' | 'promote' | 'deploy' | 'retry';
  gate: string;
  arn: string;
  reason?: string;
  result: 'ok' | 'failed' | 'denied' | 'conflict';
  detail?: Record<string, unknown>;
}

/** The append-only record of every gate action: only `append` writes. */
export class AuditLog {
  constructor(private readonly db: Knex) {}

  async append(record: Omit<AuditRecord, 'at'> & { at?: Date }): Promise<void> {
    await this.db('ml_audit').insert({
      at: record.at ?? new Date(),
      actor: record.actor,
      action: record.action,
      gate: record.gate,
      arn: record.arn,
      reason: record.reason ?? null,
      result: record.result,
      detail: record.detail ? JSON.stringify(record.detail) : null,
    });
  }

  /** The entries about any of `arns` (a version's lineage), oldest first. */
  async list(arns: string[]): Promise<AuditRecord[]> {
    const rows = await this.db('ml_audit').whereIn('arn', arns).orderBy('id');
    return rows.map(r => ({
      at: new Date(r.at),
      actor: r.actor,
      action: r.action,
      gate: r.gate,
      arn: r.arn,
      ...(r.reason ? { reason: r.reason } : {}),
      result: r.result,
      ...(r.detail ? { detail: JSON.parse(r.detail) } : {}),
    }));
  }
}
