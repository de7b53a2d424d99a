import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Request a SageMaker Studio domain from the ML Admin portfolio in shared services',
    example: yaml.stringify({
      steps: [
        {
          id: 'provision',
          action: 'servicecatalog:product:provision',
          name: 'Provision the SageMaker domain product',
          input: {
            account: 'ml-shared-services',
            productId: 'prod-smdomain0001',
            provisioningArtifactName: 'v2',
            provisionedProductName: 'fraud-studio-domain',
            parameters: { DomainName: 'fraud-studio', AuthMode: 'IAM' },
          },
        },
      ],
    }),
  },
];
