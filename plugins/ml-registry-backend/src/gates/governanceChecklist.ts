import {
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeModelCardCommand,
  DescribeModelCardCommandOutput,
  DescribeModelPackageCommand,
  ListModelCardVersionsCommand,
  ModelCardVersionSummary,
  ModelPackage,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ChecklistItem } from '@ml-governance/plugin-ml-registry-common';
import {
  AwsClientFactory,
  GovernanceChecklist,
  isAwsNotFound,
} from '@ml-governance/plugin-ml-registry-node';
import { ModelVersionRecord } from '../database/VersionStore';

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;
/** The card versions read looking for this model version's: a card older than that many updates is not evidence. */
const MAX_CARD_VERSIONS = 50;
/** An evaluation report is a small JSON document; a bigger object is not read. */
const MAX_REPORT_BYTES = 1024 * 1024;

interface Deps {
  clients: AwsClientFactory;
  /** Metric minimums, e.g. { auc: 0.9 }, checked in the evaluation report. */
  thresholds: Record<string, number>;
}

type Card = DescribeModelCardCommandOutput;

/**
 * Whether a card version describes this model version: promotion writes the
 * central package's version number in the overview and the dev package it
 * came from in the custom details (Promotion.ensureCard).
 */
export function describes(card: Card, central: ModelVersionRecord): boolean {
  let content: any;
  try {
    content = JSON.parse(card.Content ?? '{}');
  } catch {
    return false;
  }
  const source =
    content.additional_information?.custom_details?.source_model_package_arn;
  return (
    content.model_overview?.model_version === central.version &&
    (!source || !central.sourceArn || source === central.sourceArn)
  );
}

/** A card's newest versions, newest first (at most MAX_CARD_VERSIONS), or undefined when there is no card. */
export async function newestCardVersions(
  sagemaker: SageMakerClient,
  name: string,
): Promise<ModelCardVersionSummary[] | undefined> {
  const summaries: ModelCardVersionSummary[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await sagemaker.send(
        new ListModelCardVersionsCommand({
          ModelCardName: name,
          SortBy: 'Version',
          SortOrder: 'Descending',
          NextToken,
        }),
      );
      summaries.push(...(page.ModelCardVersionSummaryList ?? []));
      NextToken = page.NextToken;
    } while (NextToken && summaries.length < MAX_CARD_VERSIONS);
  } catch (e) {
    if (isAwsNotFound(e)) return undefined;
    throw e;
  }
  return summaries;
}

/**
 * The model card evidence of this version: the card versions that describe it
 * (the newest run of them), approved after their content was last written.
 * SageMaker keeps a card's status across a content update
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html),
 * so a card approved for an earlier model version stays Approved when
 * promotion writes the next version into it: that status is not a review.
 */
async function cardItem(
  sagemaker: SageMakerClient,
  central: ModelVersionRecord,
): Promise<ChecklistItem> {
  const name = central.groupName;
  const summaries = await newestCardVersions(sagemaker, name);
  if (!summaries)
    return { id: 'model-card', ok: false, evidence: 'no model card' };
  if (!summaries.length)
    return { id: 'model-card', ok: false, evidence: 'no model card' };
  // Newest first: skip versions written for later model versions, then collect the run describing this one.
  const run: Card[] = [];
  for (const summary of summaries.slice(0, MAX_CARD_VERSIONS)) {
    const card = await sagemaker.send(
      new DescribeModelCardCommand({
        ModelCardName: name,
        ModelCardVersion: summary.ModelCardVersion,
      }),
    );
    if (describes(card, central)) run.unshift(card);
    else if (run.length) break;
  }
  if (!run.length) {
    return {
      id: 'model-card',
      ok: false,
      evidence: `model card ${name} has no version describing v${
        central.version
      } among its newest ${Math.min(summaries.length, MAX_CARD_VERSIONS)}`,
    };
  }
  // Only a status set after the content was last written reviews it.
  let reviewed = false;
  run.forEach((card, i) => {
    reviewed =
      i > 0 && card.Content === run[i - 1].Content
        ? card.ModelCardStatus === 'Approved'
        : false;
  });
  const newest = run[run.length - 1];
  const which = `model card ${name} v${newest.ModelCardVersion} (describing v${central.version})`;
  if (reviewed)
    return { id: 'model-card', ok: true, evidence: `${which} is Approved` };
  return {
    id: 'model-card',
    ok: false,
    evidence:
      newest.ModelCardStatus === 'Approved'
        ? `${which} carries an earlier version's Approved status: nobody approved it since its content was written`
        : `${which} is ${newest.ModelCardStatus}`,
  };
}

/** Reads a report in the central registry's own bucket, as the shared services role; the bucket's owner is checked by S3. */
export async function readReport(
  s3: S3Client,
  uri: string,
  owner: string,
): Promise<{ text: string } | { problem: string }> {
  const [, Bucket, Key] = uri.match(S3_URI) ?? [];
  if (!Bucket) return { problem: `${uri} is not an s3:// URI` };
  try {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket, Key, ExpectedBucketOwner: owner }),
    );
    if ((head.ContentLength ?? 0) > MAX_REPORT_BYTES)
      return {
        problem: `${uri} is ${head.ContentLength} bytes, more than a report`,
      };
    const object = await s3.send(
      new GetObjectCommand({ Bucket, Key, ExpectedBucketOwner: owner }),
    );
    return { text: await object.Body!.transformToString() };
  } catch (e: any) {
    return {
      problem: `${uri} cannot be read (${e?.name ?? 'Error'}${
        e?.$metadata?.httpStatusCode ? ` ${e.$metadata.httpStatusCode}` : ''
      })`,
    };
  }
}

/**
 * The metric thresholds, checked in the evaluation report the pipeline wrote
 * (`ModelMetrics.ModelQuality.Statistics`), not in the registrant's metadata.
 * The report is in the model quality format: metric groups such as
 * `binary_classification_metrics` or `regression_metrics`, each metric with
 * its `value` (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html).
 */
async function metricsItem(
  s3: S3Client,
  pkg: ModelPackage,
  central: ModelVersionRecord,
  thresholds: [string, number][],
): Promise<ChecklistItem> {
  if (!thresholds.length)
    return { id: 'metrics', ok: true, evidence: 'no thresholds configured' };
  const uri = pkg.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  if (!uri)
    return {
      id: 'metrics',
      ok: false,
      evidence:
        'no evaluation report in the model metrics (ModelQuality.Statistics)',
    };
  const report = await readReport(s3, uri, central.accountId);
  if ('problem' in report)
    return {
      id: 'metrics',
      ok: false,
      evidence: `evaluation report ${report.problem}`,
    };
  let groups: Record<string, Record<string, { value?: unknown }>>;
  try {
    groups = JSON.parse(report.text);
  } catch {
    return {
      id: 'metrics',
      ok: false,
      evidence: `evaluation report ${uri} is not JSON`,
    };
  }
  const valueOf = (metric: string) =>
    Object.values(groups ?? {})
      .map(group => group?.[metric]?.value)
      .find(v => typeof v === 'number') as number | undefined;
  const checked = thresholds.map(([metric, min]) => {
    const value = valueOf(metric);
    const claimed = central.metadata[metric];
    // The registrant's own figure is shown where it differs from the report: a discrepancy worth the officer's eye.
    const differs =
      claimed !== undefined && value !== undefined && Number(claimed) !== value
        ? `; the registrant's metadata says ${claimed}`
        : '';
    return {
      ok: value !== undefined && value >= min,
      text: `${metric} ${
        value ?? 'missing from the report'
      } (at least ${min})${differs}`,
    };
  });
  return {
    id: 'metrics',
    ok: checked.every(c => c.ok),
    evidence: checked.map(c => c.text).join(', '),
  };
}

/** The bias report must be there and readable, not just named. */
async function biasItem(
  s3: S3Client,
  pkg: ModelPackage,
  central: ModelVersionRecord,
): Promise<ChecklistItem> {
  const bias = pkg.ModelMetrics?.Bias;
  const uri =
    bias?.Report?.S3Uri ??
    bias?.PostTrainingReport?.S3Uri ??
    bias?.PreTrainingReport?.S3Uri;
  if (!uri)
    return {
      id: 'bias-report',
      ok: false,
      evidence: 'no bias report in the model metrics',
    };
  const report = await readReport(s3, uri, central.accountId);
  return 'problem' in report
    ? {
        id: 'bias-report',
        ok: false,
        evidence: `bias report ${report.problem}`,
      }
    : { id: 'bias-report', ok: true, evidence: uri };
}

/** What the containers are configured with: the officer reviews it; it is not a condition. */
function environmentItem(pkg: ModelPackage): ChecklistItem {
  const containers = pkg.InferenceSpecification?.Containers ?? [];
  const set = containers.flatMap((c, i) => {
    const entries = Object.entries(c.Environment ?? {});
    return entries.length
      ? [
          `container ${i + 1}: ${entries
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`,
        ]
      : [];
  });
  return {
    id: 'container-environment',
    ok: true,
    evidence: set.length
      ? set.join('; ')
      : 'no container sets environment variables',
  };
}

/** The suite's own items: what the governance officer must check before production, with the evidence of this version. */
export async function governanceChecklist(
  deps: Deps,
  central: ModelVersionRecord,
  actor: string | undefined,
  accessReviewed?: boolean,
): Promise<ChecklistItem[]> {
  const sagemaker = await deps.clients.create(
    SageMakerClient,
    central.accountId,
  );
  const s3 = await deps.clients.create(S3Client, central.accountId);
  const pkg = await sagemaker.send(
    new DescribeModelPackageCommand({ ModelPackageName: central.arn }),
  );
  const [card, metrics, bias] = await Promise.all([
    cardItem(sagemaker, central),
    metricsItem(s3, pkg, central, Object.entries(deps.thresholds)),
    biasItem(s3, pkg, central),
  ]);
  return [
    card,
    metrics,
    bias,
    environmentItem(pkg),
    {
      id: 'endpoint-access',
      ok: !!accessReviewed,
      evidence: accessReviewed
        ? `reviewed by ${actor}`
        : 'the officer confirms who can invoke the endpoint',
    },
  ];
}

const ITEM_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** What is wrong with a module's checklist item, if anything. */
function itemProblem(item: ChecklistItem, seen: Set<string>) {
  if (!ITEM_ID.test(item?.id ?? ''))
    return `id '${item?.id}' is not lower-case letters, digits and dashes (at most 64)`;
  if (seen.has(item.id)) return `id '${item.id}' appears twice`;
  if (typeof item.ok !== 'boolean') return `${item.id}: ok is not a boolean`;
  if (typeof item.evidence !== 'string')
    return `${item.id}: evidence is not a string`;
  if (item.title !== undefined && typeof item.title !== 'string')
    return `${item.id}: title is not a string`;
  return undefined;
}

/** A checklist's items as the REST contract holds them (nothing else on them); a module's malformed item is named. */
function checkItems(items: ChecklistItem[]): ChecklistItem[] {
  const seen = new Set<string>();
  return items.map((item, i) => {
    const problem = itemProblem(item, seen);
    if (problem)
      throw new Error(`The governance checklist's item ${i}: ${problem}`);
    seen.add(item.id);
    const { id, ok, evidence, title } = item;
    return { id, ok, evidence, ...(title !== undefined ? { title } : {}) };
  });
}

/**
 * The checklist of `central` as `checklist` says (a module's, through
 * mlRegistryGovernanceChecklistExtensionPoint, or the suite's own), which
 * reads the suite's items only when it asks for them.
 */
export async function checklistOf(
  checklist: GovernanceChecklist,
  deps: Deps,
  central: ModelVersionRecord,
  actor: string | undefined,
  accessReviewed?: boolean,
): Promise<ChecklistItem[]> {
  const { arn, accountId, groupName, version, sourceArn, metadata } = central;
  return checkItems(
    await checklist.items({
      version: { arn, accountId, groupName, version, sourceArn, metadata },
      actor,
      accessReviewed: !!accessReviewed,
      defaultItems: () =>
        governanceChecklist(deps, central, actor, accessReviewed),
    }),
  );
}
