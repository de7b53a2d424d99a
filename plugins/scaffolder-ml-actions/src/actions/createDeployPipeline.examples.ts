import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploy the central credit risk model, whenever a version is approved, to the test account, test it, wait for governance, then deploy to prod',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'codepipeline:deploy-pipeline:create',
          name: 'Create the deploy pipeline',
          input: {
            account: 'ml-shared-services',
            modelPackageGroupName: 'credit-risk',
            testAccount: 'ml-test',
            prodAccount: 'ml-prod',
            instanceType: 'ml.m5.large',
            // The artifact store's key, shared with the test and prod accounts (iam/README.md).
            kmsKeyArn:
              'arn:aws:kms:us-east-1:111111111111:key/8d1f3c2a-5b6e-4f70-9a1b-2c3d4e5f6a7b',
          },
        },
      ],
    }),
  },
];
