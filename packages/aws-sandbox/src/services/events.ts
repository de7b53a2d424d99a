import type { ResourceTypeTable } from '../cloudFormation';
import { OperationTable, rootContext } from '../context';
import { AwsError, validation } from '../errors';
import { Json } from '../state';
import { optOneOf, optStr, ROLE_ARN_PATTERN, str } from '../validate';

const RULE_NAME = /^[\.\-_A-Za-z0-9]{1,64}$/;
/** The targets the sandbox delivers to: SQS queues, event buses and CodePipeline pipelines. */
const TARGET_ARN = /^arn:aws:(sqs|events|codepipeline):/;
/** Target members the sandbox does not simulate (input transformation, retries, ...): refused rather than ignored. */
const SIMULATED_TARGET_MEMBERS = ['Id', 'Arn', 'RoleArn'];

/** EventBridge rules on each account's default bus, and PutEvents. */
export const eventsOperations: OperationTable = {
  PutRule(input, ctx) {
    const name = str(input, 'Name', RULE_NAME);
    const pattern = str(input, 'EventPattern');
    try {
      JSON.parse(pattern);
    } catch {
      throw new AwsError(
        'InvalidEventPatternException',
        'Event pattern is not valid JSON',
      );
    }
    const arn = ctx.core.arn('events', ctx.account.id, `rule/${name}`);
    const existing = ctx.account.rules[name];
    ctx.account.rules[name] = {
      name,
      arn,
      eventPattern: pattern,
      state:
        optOneOf(input, 'State', ['ENABLED', 'DISABLED'] as const) ?? 'ENABLED',
      targets: existing?.targets ?? [],
    };
    ctx.core.changed();
    return { RuleArn: arn };
  },

  PutTargets(input, ctx) {
    const name = str(input, 'Rule', RULE_NAME);
    const rule = ctx.account.rules[name];
    if (!rule)
      throw new AwsError(
        'ResourceNotFoundException',
        `Rule ${name} does not exist on EventBus default.`,
      );
    if (!Array.isArray(input.Targets) || input.Targets.length === 0)
      throw validation('Targets must hold at least one target');
    // EventBridge starts a pipeline only as a role: https://docs.aws.amazon.com/codepipeline/latest/userguide/create-cwe-ecr-source-cli.html
    const roleless = input.Targets.find(
      (t: any) =>
        String(t?.Arn).startsWith('arn:aws:codepipeline:') && !t.RoleArn,
    );
    if (roleless)
      throw validation(`RoleArn is required for target ${roleless.Arn}.`);
    for (const t of input.Targets) {
      str(t, 'Id', RULE_NAME);
      str(t, 'Arn', TARGET_ARN);
      const roleArn = optStr(t, 'RoleArn', ROLE_ARN_PATTERN);
      const unsimulated = Object.keys(t).filter(
        k => !SIMULATED_TARGET_MEMBERS.includes(k),
      );
      if (unsimulated.length)
        throw validation(
          `Target ${t.Id} uses ${unsimulated.join(
            ', ',
          )}, which the sandbox does not simulate`,
        );
      rule.targets = rule.targets
        .filter(x => x.Id !== t.Id)
        .concat({
          Id: t.Id,
          Arn: t.Arn,
          ...(roleArn ? { RoleArn: roleArn } : {}),
        });
    }
    ctx.core.changed();
    return { FailedEntryCount: 0, FailedEntries: [] };
  },

  ListRules(input, ctx) {
    return {
      // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html: only the rules whose name starts with NamePrefix.
      Rules: Object.values(ctx.account.rules)
        .filter(r => r.name.startsWith(input.NamePrefix ?? ''))
        .map(r => ({
          Name: r.name,
          Arn: r.arn,
          EventPattern: r.eventPattern,
          State: r.state,
          EventBusName: 'default',
        })),
    };
  },

  ListTargetsByRule(input, ctx) {
    const rule = ctx.account.rules[str(input, 'Rule', RULE_NAME)];
    if (!rule)
      throw new AwsError(
        'ResourceNotFoundException',
        `Rule ${input.Rule} does not exist.`,
      );
    return { Targets: rule.targets };
  },

  PutEvents(input, ctx) {
    if (
      !Array.isArray(input.Entries) ||
      input.Entries.length === 0 ||
      input.Entries.length > 10
    ) {
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
        return {
          ErrorCode: 'NotAuthorizedForSourceException',
          ErrorMessage: `Not authorized for the source ${source}`,
        };
      }
      ctx.core.emit(ctx.account.id, {
        source,
        detailType,
        resources: entry.Resources ?? [],
        detail,
      });
      return { EventId: ctx.core.randomId(32) };
    });
    return {
      FailedEntryCount: results.filter((r: any) => r.ErrorCode).length,
      Entries: results,
    };
  },
};

/** The sandbox has each account's default bus only; a template naming another is refused. */
function defaultBus(name: string | undefined, accountId: string) {
  if (
    name !== undefined &&
    name !== 'default' &&
    !new RegExp(
      `^arn:aws:events:[a-z0-9-]+:${accountId}:event-bus/default$`,
    ).test(name)
  ) {
    throw new Error(
      `EventBusName ${name}: the sandbox has only each account's default bus`,
    );
  }
}

/** Rules and event bus policies as CloudFormation creates them. */
export const eventsResourceTypes: ResourceTypeTable = {
  'AWS::Events::Rule': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-rule.html',
    properties: {
      Description: false,
      EventBusName: false,
      EventPattern: false,
      Name: false,
      RoleArn: false,
      ScheduleExpression: false,
      State: false,
      Targets: false,
    },
    // The rule-level role is for schedule and API-destination rules; targets carry their own.
    unsupported: ['RoleArn', 'ScheduleExpression'],
    apply(properties, { core, accountId, stackName, logicalId }) {
      defaultBus(properties.EventBusName, accountId);
      if (properties.EventPattern === undefined)
        throw new Error(
          'EventPattern is required for a rule without ScheduleExpression',
        );
      const ctx = rootContext(core, accountId);
      const name = properties.Name ?? `${stackName}-${logicalId}`.slice(0, 64);
      const pattern =
        typeof properties.EventPattern === 'string'
          ? properties.EventPattern
          : JSON.stringify(properties.EventPattern);
      const { RuleArn } = eventsOperations.PutRule(
        {
          Name: name,
          EventPattern: pattern,
          ...(properties.State ? { State: properties.State } : {}),
        },
        ctx,
      );
      if (properties.Targets?.length)
        eventsOperations.PutTargets(
          { Rule: name, Targets: properties.Targets },
          ctx,
        );
      return { ref: name, attributes: { Arn: RuleArn } };
    },
  },
  'AWS::Events::EventBusPolicy': {
    reference:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-eventbuspolicy.html',
    properties: {
      Action: false,
      Condition: false,
      EventBusName: false,
      Principal: false,
      Statement: false,
      StatementId: true,
    },
    // Deprecated by CloudFormation in favour of Statement.
    unsupported: ['Action', 'Condition', 'Principal'],
    apply(properties, { core, accountId }) {
      defaultBus(properties.EventBusName, accountId);
      const sid = String(properties.StatementId);
      if (!/^[a-zA-Z0-9-_]{1,64}$/.test(sid))
        throw new Error(
          `StatementId ${sid} must be 1 to 64 letters, digits, - or _`,
        );
      const statement: Json = properties.Statement ?? {};
      const missing = ['Effect', 'Principal', 'Action', 'Resource'].filter(
        k => statement[k] === undefined,
      );
      if (missing.length)
        throw new Error(`Statement needs ${missing.join(', ')}`);
      const account = core.account(accountId);
      account.eventBusPolicy = {
        ...account.eventBusPolicy,
        [sid]: { Sid: sid, ...statement },
      };
      return { ref: sid };
    },
  },
};

/** The default bus's resource policy, as DescribeEventBus returns it. */
export function eventBusPolicy(
  statements: Record<string, Json> | undefined,
): string | undefined {
  return statements && Object.keys(statements).length
    ? JSON.stringify({
        Version: '2012-10-17',
        Statement: Object.values(statements),
      })
    : undefined;
}
