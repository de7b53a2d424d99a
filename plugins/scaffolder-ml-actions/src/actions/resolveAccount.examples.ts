import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Find the id of the team dev account chosen in the form',
    example: yaml.stringify({
      steps: [
        {
          id: 'account',
          action: 'ml:account:resolve',
          name: 'Resolve the dev account',
          input: { account: 'fraud-dev' },
        },
      ],
    }),
  },
];
