import { OperationTable, RequestContext } from '../../context';
import { AwsError, notFound, validation } from '../../errors';
import { paginate, sortBy } from '../../paginate';
import { Json, nowSeconds } from '../../state';
import { NAME_PATTERN, num, oneOf, optOneOf, str } from '../../validate';

const CARD_STATUSES = [
  'Draft',
  'PendingReview',
  'Approved',
  'Archived',
] as const;

function versions(ctx: RequestContext, name: string): Json[] {
  const card = ctx.account.modelCards[name];
  if (!card)
    throw notFound('ResourceNotFound', `Model card ${name} does not exist.`);
  return card;
}

/**
 * The sections of the model card JSON schema and the members of its model
 * overview, as AWS::SageMaker::ModelCard's Content and ModelOverview list them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-modelcard-content.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-modelcard-modeloverview.html).
 * Anything else goes in additional_information.custom_details, string values
 * under keys like identifiers (.../aws-properties-sagemaker-modelcard-additionalinformation.html).
 */
const CARD_SECTIONS = [
  'model_overview',
  'intended_uses',
  'business_details',
  'training_details',
  'evaluation_details',
  'additional_information',
  'model_package_details',
];
const OVERVIEW_MEMBERS = [
  'model_id',
  'model_name',
  'model_description',
  'model_version',
  'problem_type',
  'algorithm_type',
  'model_creator',
  'model_owner',
  'model_artifact',
  'inference_environment',
];
const CUSTOM_DETAIL_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Content must be in the model card JSON schema (API_CreateModelCard, API_UpdateModelCard). */
function checkContent(content: unknown) {
  let doc: any;
  try {
    doc = JSON.parse(String(content));
  } catch {
    throw validation('Content must be a JSON document');
  }
  const refuse = (what: string) =>
    validation(`Content does not follow the model card JSON schema: ${what}`);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw refuse('it must be an object');
  const unknown = (keys: string[], known: string[]) =>
    keys.find(k => !known.includes(k));
  const section = unknown(Object.keys(doc), CARD_SECTIONS);
  if (section) throw refuse(`${section} is not one of its sections`);
  const member = unknown(
    Object.keys(doc.model_overview ?? {}),
    OVERVIEW_MEMBERS,
  );
  if (member)
    throw refuse(
      `model_overview.${member} is not a member of the model overview`,
    );
  for (const [key, value] of Object.entries(
    doc.additional_information?.custom_details ?? {},
  )) {
    if (
      !CUSTOM_DETAIL_KEY.test(key) ||
      typeof value !== 'string' ||
      value.length > 1024
    ) {
      throw refuse(
        `additional_information.custom_details.${key} must be a string of at most 1024 characters under a key matching ${CUSTOM_DETAIL_KEY.source}`,
      );
    }
  }
}

/** One summary shape serves both lists; the SDK keeps the fields each list has. */
function cardSummary(c: Json) {
  return {
    ModelCardName: c.ModelCardName,
    ModelCardArn: c.ModelCardArn,
    ModelCardStatus: c.ModelCardStatus,
    ModelCardVersion: c.ModelCardVersion,
    CreationTime: c.CreationTime,
    LastModifiedTime: c.LastModifiedTime,
  };
}

export const modelCardOperations: OperationTable = {
  CreateModelCard(input, ctx) {
    const name = str(input, 'ModelCardName', NAME_PATTERN);
    const status = oneOf(input, 'ModelCardStatus', CARD_STATUSES);
    const content = str(input, 'Content');
    checkContent(content);
    if (ctx.account.modelCards[name]) {
      throw new AwsError(
        'ConflictException',
        `Model card ${name} already exists.`,
      );
    }
    const arn = ctx.core.arn('sagemaker', ctx.account.id, `model-card/${name}`);
    const now = nowSeconds();
    ctx.account.modelCards[name] = [
      {
        ModelCardArn: arn,
        ModelCardName: name,
        ModelCardVersion: 1,
        Content: content,
        ModelCardStatus: status,
        CreationTime: now,
        CreatedBy: { UserProfileName: ctx.caller.arn },
        LastModifiedTime: now,
        LastModifiedBy: { UserProfileName: ctx.caller.arn },
      },
    ];
    if (input.Tags) ctx.account.tags[arn] = input.Tags;
    ctx.core.changed();
    return { ModelCardArn: arn };
  },

  DescribeModelCard(input, ctx) {
    const all = versions(ctx, str(input, 'ModelCardName', NAME_PATTERN));
    if (input.ModelCardVersion === undefined) return all[all.length - 1];
    const version = num(input, 'ModelCardVersion', 1, 100000, 1);
    const found = all.find(v => v.ModelCardVersion === version);
    if (!found)
      throw notFound(
        'ResourceNotFound',
        `Model card version ${version} does not exist.`,
      );
    return found;
  },

  /**
   * Every update makes a new version, as in SageMaker. One call changes the
   * content or the status, never both, and an archived card's content is
   * frozen: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html,
   * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ModelPackageModelCard.html
   * (the pages give the message, not the error code: a ValidationException, as for any refused input).
   * Otherwise any status may follow any other: SageMaker documents no order,
   * as "different organizations might have different criteria for model card
   * review and approval" (same page).
   */
  UpdateModelCard(input, ctx) {
    const name = str(input, 'ModelCardName', NAME_PATTERN);
    const all = versions(ctx, name);
    const latest = all[all.length - 1];
    const status = optOneOf(input, 'ModelCardStatus', CARD_STATUSES);
    if (input.Content !== undefined) {
      if (status)
        throw validation(
          'You cannot update both model card content and model card status in a single call.',
        );
      if (latest.ModelCardStatus === 'Archived')
        throw validation('Model Card is in Archived state');
      checkContent(input.Content);
    }
    const now = nowSeconds();
    all.push({
      ...latest,
      ModelCardVersion: latest.ModelCardVersion + 1,
      Content: input.Content ?? latest.Content,
      ModelCardStatus: status ?? latest.ModelCardStatus,
      LastModifiedTime: now,
      LastModifiedBy: { UserProfileName: ctx.caller.arn },
    });
    ctx.core.changed();
    return { ModelCardArn: latest.ModelCardArn };
  },

  ListModelCards(input, ctx) {
    const cards = Object.values(ctx.account.modelCards).map(
      all => all[all.length - 1],
    );
    const { page, NextToken } = paginate(
      sortBy(cards, 'CreationTime', input.SortOrder),
      input,
    );
    // ModelCardSummary has no ModelCardVersion, unlike ModelCardVersionSummary.
    return {
      ModelCardSummaries: page.map(c => ({
        ...cardSummary(c),
        ModelCardVersion: undefined,
      })),
      NextToken,
    };
  },

  ListModelCardVersions(input, ctx) {
    const all = versions(ctx, str(input, 'ModelCardName', NAME_PATTERN));
    const { page, NextToken } = paginate(
      sortBy(all, 'ModelCardVersion', input.SortOrder),
      input,
    );
    return { ModelCardVersionSummaryList: page.map(cardSummary), NextToken };
  },
};
