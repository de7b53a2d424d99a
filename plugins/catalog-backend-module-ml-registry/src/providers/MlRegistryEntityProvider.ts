import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { coalescingRunner } from '@ml-governance/plugin-ml-registry-common';

const LOCATION = 'ml-registry:aws';

/**
 * Keeps the catalog's ML entities equal to what the ml-registry backend holds:
 * a full mutation on every run, so a model gone from AWS (after a successful
 * sync of its account) leaves the catalog, and a failing account, whose last
 * good data the backend keeps, loses nothing.
 */
export class MlRegistryEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  private readonly refreshRunner = coalescingRunner(async (_: undefined) => {
    try {
      await this.refresh();
    } catch (e) {
      this.deps.logger.warn(
        'ML registry entities could not be refreshed; the schedule will retry',
        e as Error,
      );
    }
  });

  getProviderName(): string {
    return 'ml-registry';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    // Change notices sent before the catalog connected are not replayed: read the current state once now.
    void this.refreshSoon();
    await this.deps.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /**
   * Refreshes now, or once more after the refresh under way: a burst of
   * change notices (one per synced account) costs at most two refreshes.
   */
  refreshSoon(): Promise<void> {
    return this.connection ? this.refreshRunner(undefined) : Promise.resolve();
  }

  async refresh(): Promise<void> {
    if (!this.connection)
      throw new Error('MlRegistryEntityProvider is not connected');
    const baseUrl = await this.deps.discovery.getBaseUrl('ml-registry');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'ml-registry',
    });
    const response = await fetch(`${baseUrl}/entities`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const { items } = (await response.json()) as { items: Entity[] };
    await this.connection.applyMutation({
      type: 'full',
      entities: items.map(entity => ({ entity, locationKey: LOCATION })),
    });
    this.deps.logger.info(
      `ML registry: ${items.length} entities in the catalog`,
    );
  }
}
