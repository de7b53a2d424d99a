import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Grid, Typography } from '@material-ui/core';
import {
  ModelCardSummary,
  VersionDetails,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';
import { LineageGraph } from '../LineageGraph/LineageGraph';
import { useModelRefresh } from '../signals/useModelRefresh';

/** Where a version came from and where it runs, as a graph. */
function Lineage({ details }: { details: VersionDetails }) {
  return (
    <InfoCard
      title="Lineage"
      subheader="Each step links to its catalog entity and its AWS console page."
    >
      <LineageGraph lineage={details.lineage} />
      {details.deployments.length === 0 && (
        <Typography variant="body2">
          Not deployed to any test or prod endpoint.
        </Typography>
      )}
    </InfoCard>
  );
}

/** The model card as SageMaker keeps it (JSON), rendered as what people read. */
function ModelCard({ card }: { card?: ModelCardSummary }) {
  if (!card) {
    return (
      <InfoCard title="Model card">
        <Typography variant="body2">
          No model card in the central registry yet; promotion creates one.
        </Typography>
      </InfoCard>
    );
  }
  let content: any = {};
  try {
    content = JSON.parse(card.content ?? '{}');
  } catch {
    // Shown as missing fields below; the card's status still tells the state.
  }
  const metrics: { name: string; value: unknown }[] = (
    content.evaluation_details ?? []
  ).flatMap((e: any) =>
    (e.metric_groups ?? []).flatMap((g: any) =>
      (g.metric_data ?? []).map((m: any) => ({
        name: `${e.name} ${m.name}`,
        value: m.value,
      })),
    ),
  );
  return (
    <InfoCard
      title="Model card"
      subheader={`${card.name} v${card.version}: ${card.status}`}
    >
      <StructuredMetadataTable
        metadata={{
          Model: content.model_overview?.model_name ?? card.name,
          Description: content.model_overview?.model_description ?? '-',
          'Model version': content.model_overview?.model_version ?? '-',
          Purpose: content.intended_uses?.purpose_of_model ?? '-',
          'Risk rating': content.intended_uses?.risk_rating ?? '-',
          ...Object.fromEntries(
            metrics.slice(0, 12).map(m => [m.name, String(m.value)]),
          ),
        }}
      />
    </InfoCard>
  );
}

/** A version's lineage graph and model card, read again on each change of its model. */
export function VersionDetailsPanel(props: { arn: string }) {
  const api = useApi(mlRegistryApiRef);
  const changes = useModelRefresh(props.arn);
  const { value, loading, error } = useAsync(
    () => api.getVersion(props.arn),
    [api, props.arn, changes],
  );
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Lineage details={value} />
      </Grid>
      <Grid item xs={12} md={6}>
        <ModelCard card={value.modelCard} />
      </Grid>
    </Grid>
  );
}
