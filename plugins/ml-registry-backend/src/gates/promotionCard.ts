import {
  CreateModelCardCommand,
  DescribeModelCardCommand,
  ModelPackage,
  SageMakerClient,
  UpdateModelCardCommand,
} from '@aws-sdk/client-sagemaker';
import { unlessAwsNotFound } from '@ml-governance/plugin-ml-registry-node';

/** The model card's custom detail naming the dev package its newest version came from. */
const CARD_SOURCE_KEY = 'source_model_package_arn';
const MAX_CARD_CONTENT = 100_000;

/**
 * A card's content as SageMaker takes it: at most 100,000 characters
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html),
 * so the oldest versions' evaluations give way to the newest.
 */
function cardContent(
  content: { evaluation_details: unknown[] } & Record<string, unknown>,
): string {
  const evaluations = [...content.evaluation_details];
  let text = JSON.stringify(content);
  while (text.length > MAX_CARD_CONTENT && evaluations.length > 1) {
    evaluations.pop();
    text = JSON.stringify({ ...content, evaluation_details: evaluations });
  }
  return text;
}

/** What a new central version brings to its model's card. */
function cardNews(name: string, created: ModelPackage, source: ModelPackage) {
  const metrics = Object.entries(
    source.CustomerMetadataProperties ?? {},
  ).filter(([, v]) => v !== '' && !Number.isNaN(Number(v)));
  return {
    overview: {
      model_name: name,
      model_description: source.ModelPackageDescription ?? name,
      model_version: created.ModelPackageVersion,
      model_artifact: created.InferenceSpecification?.Containers?.map(
        c => c.ModelDataUrl,
      ).filter(Boolean),
    },
    lineage: { [CARD_SOURCE_KEY]: source.ModelPackageArn! },
    evaluation: [
      {
        name: `v${created.ModelPackageVersion}`,
        metric_groups: [
          {
            name: 'quality',
            metric_data: metrics.map(([k, v]) => ({
              name: k,
              type: 'number',
              value: Number(v),
            })),
          },
        ],
      },
    ],
  };
}

/** An existing card's content with the new version recorded on it; the card's own wording stays. */
function updatedContent(
  content: any,
  news: ReturnType<typeof cardNews>,
): string {
  return cardContent({
    ...content,
    model_overview: {
      ...content.model_overview,
      model_version: news.overview.model_version,
      model_artifact: news.overview.model_artifact,
    },
    additional_information: {
      ...content.additional_information,
      custom_details: {
        ...content.additional_information?.custom_details,
        ...news.lineage,
      },
    },
    evaluation_details: [
      ...news.evaluation,
      ...(content.evaluation_details ?? []),
    ],
  });
}

/**
 * Creates the card for a new model; otherwise records the new version on it,
 * once. The card's JSON schema has no lineage field, so the dev package a
 * version came from is one of its custom details
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-sagemaker-modelcard-additionalinformation.html).
 */
export async function ensureCard(
  central: SageMakerClient,
  name: string,
  created: ModelPackage,
  source: ModelPackage,
): Promise<void> {
  const news = cardNews(name, created, source);
  const existing = await unlessAwsNotFound(
    central.send(new DescribeModelCardCommand({ ModelCardName: name })),
  );
  if (!existing) {
    await central.send(
      new CreateModelCardCommand({
        ModelCardName: name,
        ModelCardStatus: 'PendingReview',
        Content: cardContent({
          model_overview: news.overview,
          evaluation_details: news.evaluation,
          additional_information: { custom_details: news.lineage },
        }),
      }),
    );
    return;
  }
  const content = JSON.parse(existing.Content ?? '{}');
  if (content.model_overview?.model_version === created.ModelPackageVersion)
    return;
  await central.send(
    new UpdateModelCardCommand({
      ModelCardName: name,
      Content: updatedContent(content, news),
    }),
  );
}
