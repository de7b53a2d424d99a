import { OperationTable } from '../context';
import { AwsError, validation } from '../errors';
import { NAME_PATTERN, optOneOf, str } from '../validate';

const RULE_NAME = /^[\.\-_A-Za-z0-9]{1,64}$/;

/** EventBridge rules on each account's default bus, and PutEvents. */
export const eventsOperations: OperationTable = {
  PutRule(input, ctx) {
    const name = str(input, 'Name', RULE_NAME);
    const pattern = str(input, 'EventPattern');
    try {
      JSON.parse(pattern);
    } catch {
      throw new AwsError('InvalidEventPatternException', 'Event pattern is not valid JSON');
    }
    const arn = ctx.core.arn('events', ctx.account.id, `rule/${name}`);
    const existing = ctx.account.rules[name];
    ctx.account.rules[name] = {
      name, arn, eventPattern: pattern,
      state: optOneOf(input, 'State', ['ENABLED', 'DISABLED'] as const) ?? 'ENABLED',
      targets: existing?.targets ?? [],
    };
    ctx.core.changed();
    return { RuleArn: arn };
  },

  PutTargets(input, ctx) {
    const name = str(input, 'Rule', RULE_NAME);
    const rule = ctx.account.rules[name];
    if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
    if (!Array.isArray(input.Targets) || input.Targets.length === 0) throw validation('Targets must hold at least one target');
    for (const t of input.Targets) {
      str(t, 'Id', NAME_PATTERN);
      str(t, 'Arn', /^arn:aws:(sqs|events):/);
      rule.targets = rule.targets.filter(x => x.Id !== t.Id).concat({ Id: t.Id, Arn: t.Arn });
    }
    ctx.core.changed();
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  ListRules(_input, ctx) {
    return {
      Rules: Object.values(ctx.account.rules).map(r => ({
        Name: r.name, Arn: r.arn, EventPattern: r.eventPattern, State: r.state, EventBusName: 'default',
      })),
    };
  },

  ListTargetsByRule(input, ctx) {
    const rule = ctx.account.rules[str(input, 'Rule', RULE_NAME)];
    if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${input.Rule} does not exist.`);
    return { Targets: rule.targets };
  },

  PutEvents(input, ctx) {
    if (!Array.isArray(input.Entries) || input.Entries.length === 0 || input.Entries.length > 10) {
      throw validation('Entries must hold 1 to 10 entries');
    }
    const results = input.Entries.map((entry: any, i: number) => {
      const source = str(entry, 'Source');
      const detailType = str(entry, 'DetailType');
      let detail: Record<string, unknown>;
      try {
        detail = JSON.parse(str(entry, 'Detail'));
      } catch {
        throw validation(`Entries[${i}].Detail is not valid JSON`);
      }
      if (source.startsWith('aws.')) {
        return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `Not authorized for the source ${source}` };
      }
      ctx.core.emit(ctx.account.id, { source, detailType, resources: entry.Resources ?? [], detail });
      return { EventId: ctx.core.randomId(32) };
    });
    return { FailedEntryCount: results.filter((r: any) => r.ErrorCode).length, Entries: results };
  },
};
