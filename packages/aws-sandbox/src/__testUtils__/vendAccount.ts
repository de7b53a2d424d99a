import { ProvisionProductCommand } from '@aws-sdk/client-service-catalog';

/**
 * The scenario's account factory product provisioning a new account named
 * `name`, its e-mail `email`; `token` makes a retry idempotent.
 */
export function vendAccount(name: string, email: string, token: string) {
  return new ProvisionProductCommand({
    ProductId: 'prod-acctfact0001',
    ProvisionedProductName: name,
    ProvisionToken: token,
    ProvisioningParameters: [
      { Key: 'AccountName', Value: name },
      { Key: 'AccountEmail', Value: email },
    ],
  });
}
