import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const example = (
  description: string,
  name: string,
  dataSource: Record<string, unknown>,
  startRun = false,
  more: Record<string, unknown> = {},
): TemplateExample => ({
  description,
  example: yaml.stringify({
    steps: [
      {
        id: 'project',
        action: 'sagemaker:project:create',
        name: 'Create the experiment project',
        input: {
          account: 'churn-dev',
          name,
          description: `Experiments of ${name}`,
          owner: 'group:default/churn-ds',
          dataSource,
          startRun,
          ...more,
        },
      },
    ],
  }),
});

export const examples: TemplateExample[] = [
  example(
    'An experiment on an Athena table of the data lake, starting its first run',
    'churn-athena',
    { type: 'athena', database: 'churn_lake', table: 'customer_features' },
    true,
  ),
  example('An experiment on files in S3', 'churn-s3', {
    type: 's3',
    uri: 's3://sagemaker-us-east-1-222222222223/datasets/churn/',
  }),
  example(
    'An experiment on a table DataZone subscribed the team to',
    'churn-datazone',
    {
      type: 'datazone',
      domainId: 'dzd_4p9n6example',
      assetId: 'asset-churn-events',
      database: 'churn_sub_db',
      table: 'churn_events',
    },
  ),
  example(
    'An experiment on a feature group of the central feature store',
    'churn-features',
    { type: 'feature-store', featureGroupName: 'customer-features' },
  ),
  example(
    "An experiment on files in S3, its project made from the SageMaker Projects portfolio's product, starting its first run",
    'churn-catalog',
    {
      type: 's3',
      uri: 's3://sagemaker-us-east-1-222222222223/datasets/churn/',
    },
    true,
    {
      serviceCatalogProduct: {
        productId: 'prod-expss30001',
        parameters: {
          InputDataUrl: 's3://sagemaker-us-east-1-222222222223/datasets/churn/',
        },
      },
    },
  ),
];
