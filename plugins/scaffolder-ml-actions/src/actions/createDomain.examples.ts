import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Create a team's Studio domain in its dev account, signing in with IAM",
    example: yaml.stringify({
      steps: [
        {
          id: 'domain',
          action: 'sagemaker:domain:create',
          name: 'Create the SageMaker Studio domain',
          input: {
            account: 'fraud-dev',
            name: 'fraud-research',
            vpcId: 'vpc-0a1b2c3d',
            subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'],
            authMode: 'IAM',
            tags: { team: 'fraud-ds' },
          },
        },
      ],
    }),
  },
];
