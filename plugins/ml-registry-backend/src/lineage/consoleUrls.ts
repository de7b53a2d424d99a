/**
 * Deep links into the AWS console for what a lineage shows. The console opens
 * in whichever account the user is signed in to, so nodes also say which
 * account holds the object.
 */
const home = (region: string, service: string) =>
  `https://${region}.console.aws.amazon.com/${service}/home?region=${region}`;

/** The console page of a training data location: S3 prefix, Athena (Glue) table, DataZone or feature group. */
export function dataConsoleUrl(
  location: string,
  region: string,
): string | undefined {
  const s3 = location.match(/^s3:\/\/([^/]+)\/?(.*)$/);
  if (s3)
    return `https://s3.console.aws.amazon.com/s3/buckets/${
      s3[1]
    }?region=${region}&prefix=${encodeURIComponent(s3[2])}`;
  const athena = location.match(/^athena:\/\/\d{12}\/([^.]+)\.(.+)$/);
  if (athena)
    return `${home(
      region,
      'glue',
    )}#/v2/data-catalog/tables/view/${encodeURIComponent(
      athena[2],
    )}?database=${encodeURIComponent(athena[1])}`;
  if (location.startsWith('datazone://')) return home(region, 'datazone');
  const featureGroup = location.match(/:feature-group\/(.+)$/);
  if (featureGroup)
    return `${home(
      region,
      'sagemaker',
    )}#/feature-store/feature-groups/${encodeURIComponent(featureGroup[1])}`;
  return undefined;
}

/** The console page of a SageMaker pipeline execution, from its ARN. */
export function pipelineRunConsoleUrl(
  executionArn: string,
  region: string,
): string | undefined {
  const m = executionArn.match(/:pipeline\/([^/]+)\/execution\/(.+)$/);
  return m
    ? `${home(region, 'sagemaker')}#/pipelines/${encodeURIComponent(
        m[1],
      )}/executions/${encodeURIComponent(m[2])}`
    : undefined;
}

/** The console page of a model package (a version in a model registry). */
export function modelPackageConsoleUrl(
  groupName: string,
  version: number,
  region: string,
): string {
  return `${home(region, 'sagemaker')}#/model-registry/${encodeURIComponent(
    groupName,
  )}/versions/${version}`;
}

/** The console page of an endpoint. */
export function endpointConsoleUrl(
  endpointName: string,
  region: string,
): string {
  return `${home(region, 'sagemaker')}#/endpoints/${encodeURIComponent(
    endpointName,
  )}`;
}
