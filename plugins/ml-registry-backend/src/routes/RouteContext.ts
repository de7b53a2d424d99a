import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { Entity } from '@backstage/catalog-model';
import {
  MlAccount,
  MlPlatformConfig,
} from '@ml-governance/plugin-ml-registry-common';
import express from 'express';
import { AccountStore } from '../database/AccountStore';
import { EndpointStore } from '../database/EndpointStore';
import { ModelCardStore } from '../database/ModelCardStore';
import { ResourceStore } from '../database/ResourceStore';
import { VersionStore } from '../database/VersionStore';
import { GateService } from '../gates/GateService';
import { spec } from '../schema/openapi.generated';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  accounts: AccountStore;
  versions: VersionStore;
  endpoints: EndpointStore;
  modelCards: ModelCardStore;
  resources: ResourceStore;
  platform: MlPlatformConfig;
  defaultOwner: string;
  /** The catalog entities of every account's models, for the catalog module. */
  entities: () => Promise<Entity[]>;
  gates: GateService;
  /** Where unexpected failures are logged (their detail never goes to the client). */
  logger: LoggerService;
}

/** What each group of routes registers its routes with. */
export interface RouteContext extends RouterOptions {
  /** The router validating every request against the OpenAPI document. */
  router: ApiRouter<typeof spec>;
  /** Refuses a request whose caller may not read the registry. */
  authorize: (req: express.Request<any, any, any, any>) => Promise<void>;
  accountsById: Map<string, MlAccount>;
}
