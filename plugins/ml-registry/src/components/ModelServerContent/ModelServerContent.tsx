import { WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import {
  ANNOTATION_MODEL_PACKAGE_ARN,
  parseModelPackageArn,
} from '@ml-governance/plugin-ml-registry-common';
import { VersionGates } from '../gates/VersionGates';
import { VersionDetailsPanel } from '../VersionDetailsPanel/VersionDetailsPanel';

/**
 * The Deployment tab of a model-server entity: the version the endpoint
 * runs (as the sync read it from the endpoint's config), its way through
 * the gates (the deploy pipeline's stages among them) and its lineage.
 */
export function ModelServerContent() {
  const { entity } = useEntity();
  const arn = entity.metadata.annotations?.[ANNOTATION_MODEL_PACKAGE_ARN];
  const version = arn ? parseModelPackageArn(arn) : undefined;
  if (!arn || !version) {
    return (
      <WarningPanel title="No model version recorded for this endpoint">
        The version an endpoint runs is read from its endpoint config&apos;s
        model&apos;s model package (or, where those are gone, its
        sagemaker:model-package-arn tag); this endpoint names none.
      </WarningPanel>
    );
  }
  return (
    <>
      <Typography variant="h5" component="h2" gutterBottom>
        Serves {version.group} v{version.version}
      </Typography>
      <VersionGates arn={arn} label={`${version.group} v${version.version}`} />
      <Box mt={3}>
        <VersionDetailsPanel arn={arn} />
      </Box>
    </>
  );
}
