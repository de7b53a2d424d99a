import { Knex } from 'knex';

export interface EndpointRecord {
  arn: string;
  accountId: string;
  name: string;
  status: string;
  /** The model package the endpoint serves, from its `sagemaker:model-package-arn` tag. */
  modelPackageArn?: string;
  createdAt: Date;
  lastModifiedAt: Date;
}

/** The SageMaker endpoints of every account. */
export class EndpointStore {
  constructor(private readonly db: Knex) {}

  /** Makes an account's endpoints exactly `endpoints`, after a successful read. */
  async replaceEndpoints(accountId: string, endpoints: EndpointRecord[]): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('ml_endpoints').where({ account_id: accountId }).whereNotIn('arn', endpoints.map(e => e.arn)).delete();
      for (const e of endpoints) {
        await tx('ml_endpoints')
          .insert({
            arn: e.arn, account_id: e.accountId, name: e.name, status: e.status,
            model_package_arn: e.modelPackageArn ?? null, created_at: e.createdAt, last_modified_at: e.lastModifiedAt,
          })
          .onConflict('arn')
          .merge();
      }
    });
  }

  async listEndpoints(accountId?: string): Promise<EndpointRecord[]> {
    const query = this.db('ml_endpoints').orderBy(['account_id', 'name']);
    if (accountId) query.where({ account_id: accountId });
    return (await query).map(row => ({
      arn: row.arn,
      accountId: row.account_id,
      name: row.name,
      status: row.status,
      ...(row.model_package_arn ? { modelPackageArn: row.model_package_arn } : {}),
      createdAt: new Date(row.created_at),
      lastModifiedAt: new Date(row.last_modified_at),
    }));
  }
}
