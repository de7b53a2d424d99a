import { DatabaseService } from '@backstage/backend-plugin-api';
import { AccountStore } from './AccountStore';
import { AuditLog } from './AuditLog';
import { EndpointStore } from './EndpointStore';
import { GateDecisionStore } from './GateDecisionStore';
import { migrateDatabase } from './migrateDatabase';
import { ModelCardStore } from './ModelCardStore';
import { PromotionStore } from './PromotionStore';
import { ResourceStore } from './ResourceStore';
import { VersionStore } from './VersionStore';

/** The plugin's stores on its database, migrated first unless the database service says to skip it. */
export async function openStores(database: DatabaseService) {
  const knex = await database.getClient();
  if (!database.migrations?.skip) await migrateDatabase(knex);
  return {
    accounts: new AccountStore(knex),
    versions: new VersionStore(knex),
    endpoints: new EndpointStore(knex),
    modelCards: new ModelCardStore(knex),
    resources: new ResourceStore(knex),
    audit: new AuditLog(knex),
    promotions: new PromotionStore(knex),
    decisions: new GateDecisionStore(knex),
  };
}

export type Stores = Awaited<ReturnType<typeof openStores>>;
