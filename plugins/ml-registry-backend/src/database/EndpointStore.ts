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

  /**
   * Makes an account's endpoints exactly `endpoints`, after a successful read.
   * Returns whether any came, went, or changed state or model.
   */
  async replaceEndpoints(
    accountId: string,
    endpoints: EndpointRecord[],
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const before = new Map(
        (
          await tx('ml_endpoints')
            .where({ account_id: accountId })
            .select('arn', 'status', 'model_package_arn')
        ).map(r => [r.arn, `${r.status}|${r.model_package_arn ?? ''}`]),
      );
      const removed = await tx('ml_endpoints')
        .where({ account_id: accountId })
        .whereNotIn(
          'arn',
          endpoints.map(e => e.arn),
        )
        .delete();
      const changed =
        removed > 0 ||
        endpoints.some(
          e => before.get(e.arn) !== `${e.status}|${e.modelPackageArn ?? ''}`,
        );
      for (const e of endpoints) {
        await tx('ml_endpoints')
          .insert({
            arn: e.arn,
            account_id: e.accountId,
            name: e.name,
            status: e.status,
            model_package_arn: e.modelPackageArn ?? null,
            created_at: e.createdAt,
            last_modified_at: e.lastModifiedAt,
          })
          .onConflict('arn')
          .merge();
      }
      return changed;
    });
  }

  /**
   * Every endpoint, or those of one account, or those serving one of
   * `modelPackageArns`, or those serving any version of the model package
   * group `groupOf` is a version of.
   */
  async listEndpoints(
    filter: {
      accountId?: string;
      modelPackageArns?: string[];
      groupOf?: string;
    } = {},
  ): Promise<EndpointRecord[]> {
    const query = this.db('ml_endpoints').orderBy(['account_id', 'name']);
    if (filter.accountId) query.where({ account_id: filter.accountId });
    if (filter.modelPackageArns)
      query.whereIn('model_package_arn', filter.modelPackageArns);
    // A version's ARN ends in /<group>/<version>; group names hold no LIKE wildcards ([a-zA-Z0-9-]).
    if (filter.groupOf)
      query.where(
        'model_package_arn',
        'like',
        `${filter.groupOf.slice(0, filter.groupOf.lastIndexOf('/') + 1)}%`,
      );
    return (await query).map(row => ({
      arn: row.arn,
      accountId: row.account_id,
      name: row.name,
      status: row.status,
      ...(row.model_package_arn
        ? { modelPackageArn: row.model_package_arn }
        : {}),
      createdAt: new Date(row.created_at),
      lastModifiedAt: new Date(row.last_modified_at),
    }));
  }
}
