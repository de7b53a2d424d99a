import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Deploy the central credit risk model to the test account, test it, wait for governance, then deploy to prod',
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
          },
        },
      ],
    }),
  },
];
