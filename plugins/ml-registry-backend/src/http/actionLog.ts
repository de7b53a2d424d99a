import { LoggerService } from '@backstage/backend-plugin-api';
import { parseModelPackageArn } from '@ml-governance/plugin-ml-registry-common';
import { AuditLog, AuditRecord } from '../database/AuditLog';

/** A version's ARN as a log line names it: `fraud-detection v3 (account 222222222222)`; any other text as is. */
export function versionOf(arn: string): string {
  const parsed = parseModelPackageArn(arn);
  return parsed
    ? `${parsed.group} v${parsed.version} (account ${parsed.accountId})`
    : arn;
}

/** The audit results that are a step done: refusals and failures are logged, at warn, where they happen. */
const DONE: ReadonlySet<AuditRecord['result']> = new Set(['ok', 'external']);

/**
 * The audit log, also writing one info line for each step it records as
 * done (a decision, a promotion, a deploy retry, a decision taken outside
 * Backstage), naming who, what, the model and version: the log's account of
 * what happened, while request lines stay at debug. The detail stays in the
 * audit log.
 */
export function withActionLog(
  audit: AuditLog,
  logger: LoggerService,
): AuditLog {
  const append: AuditLog['append'] = async record => {
    await audit.append(record);
    if (!DONE.has(record.result)) return;
    const outside = record.result === 'external' ? ' outside Backstage' : '';
    // The reason is the decider's own text: one line, kept short.
    const reason = record.reason?.replace(/\s+/g, ' ').slice(0, 200);
    logger.info(
      `${record.actor} ${record.action} ${record.gate} of ${versionOf(
        record.arn,
      )}${outside}${reason ? `: ${reason}` : ''}`,
      {
        actor: record.actor,
        action: record.action,
        gate: record.gate,
        arn: record.arn,
      },
    );
  };
  return Object.assign(Object.create(audit), { append });
}
