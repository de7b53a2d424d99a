import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Create a team's model package group, readable by shared services and the deployment accounts",
    example: yaml.stringify({
      steps: [
        {
          id: 'group',
          action: 'sagemaker:model-package-group:create',
          name: 'Create the model package group',
          input: {
            account: 'fraud-dev',
            name: 'card-risk',
            description: 'Card transaction risk scores',
            owner: 'group:default/fraud-ds',
          },
        },
      ],
    }),
  },
];
