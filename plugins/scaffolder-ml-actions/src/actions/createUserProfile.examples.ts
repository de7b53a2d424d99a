import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Give a data scientist a Studio user profile in the domain a previous step created',
    example: yaml.stringify({
      steps: [
        {
          id: 'profile',
          action: 'sagemaker:user-profile:create',
          name: 'Create the Studio user profile',
          input: {
            account: 'fraud-dev',
            domainId: '${{ steps.domain.output.domainId }}',
            userProfileName: 'dana-scientist',
          },
        },
      ],
    }),
  },
];
