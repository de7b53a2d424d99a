import { Knex } from 'knex';

/** One gate action as the audit log keeps it. */
export interface AuditRecord {
  at: Date;
  /**
   * A user entity ref, `plugin:ml-registry` for automatic steps (promotion,
   * reconcile), or the AWS identity of a decision taken outside Backstage.
   */
  actor: string;
  action: 'approve' | 'reject' | 'promote' | 'deploy' | 'retry';
  gate: string;
  arn: string;
  reason?: string;
  /** `external`: seen in AWS, decided outside Backstage (console, CLI). */
  result: 'ok' | 'failed' | 'denied' | 'conflict' | 'external';
  detail?: Record<string, unknown>;
}

/** An audit entry with its position in the log, for paging. */
export type AuditRow = AuditRecord & { id: number };

/** Text a caller wrote (a reason, an error from AWS) is kept to this length. */
export const AUDIT_TEXT_MAX = 1000;
// The columns' own sizes (migrations/20261125040000_gates.js).
const ACTOR_MAX = 400;

const bounded = (text: string, max = AUDIT_TEXT_MAX) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Every string of `detail`, however deep, kept to AUDIT_TEXT_MAX. */
function boundedDetail(value: unknown): unknown {
  if (typeof value === 'string') return bounded(value);
  if (Array.isArray(value)) return value.slice(0, 50).map(boundedDetail);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, boundedDetail(v)]),
    );
  return value;
}

/**
 * The append-only record of every gate action: only `append` writes, and
 * only the backend's own decisions call it. What a caller wrote is kept to a
 * bounded length, so a refused request cannot fill the log.
 */
export class AuditLog {
  constructor(private readonly db: Knex) {}

  async append(record: Omit<AuditRecord, 'at'> & { at?: Date }): Promise<void> {
    await this.db('ml_audit').insert({
      at: record.at ?? new Date(),
      actor: bounded(record.actor, ACTOR_MAX),
      action: record.action,
      gate: record.gate,
      arn: record.arn,
      reason: record.reason ? bounded(record.reason) : null,
      result: record.result,
      detail: record.detail
        ? JSON.stringify(boundedDetail(record.detail))
        : null,
    });
  }

  /** Every entry about any of `arns` (a version's lineage), oldest first. */
  async list(arns: string[]): Promise<AuditRecord[]> {
    return (await this.db('ml_audit').whereIn('arn', arns).orderBy('id')).map(
      toRecord,
    );
  }

  /** The newest `limit` entries about any of `arns`, oldest first. */
  async latest(arns: string[], limit: number): Promise<AuditRecord[]> {
    const rows = await this.db('ml_audit')
      .whereIn('arn', arns)
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.reverse().map(toRecord);
  }

  /** Up to `limit` entries about any of `arns` after the entry `after` (exclusive), oldest first. */
  async page(
    arns: string[],
    options: { limit: number; after?: number },
  ): Promise<{ items: AuditRow[]; next?: number }> {
    const rows = await this.db('ml_audit')
      .whereIn('arn', arns)
      .modify(q =>
        options.after !== undefined ? q.where('id', '>', options.after) : q,
      )
      .orderBy('id')
      .limit(options.limit + 1);
    const items = rows
      .slice(0, options.limit)
      .map((r: any) => ({ ...toRecord(r), id: Number(r.id) }));
    return {
      items,
      ...(rows.length > options.limit
        ? { next: items[items.length - 1].id }
        : {}),
    };
  }
}

function toRecord(r: any): AuditRecord {
  return {
    at: new Date(r.at),
    actor: r.actor,
    action: r.action,
    gate: r.gate,
    arn: r.arn,
    ...(r.reason ? { reason: r.reason } : {}),
    result: r.result,
    ...(r.detail ? { detail: JSON.parse(r.detail) } : {}),
  };
}
