import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { MlAccount } from '@ml-governance/plugin-ml-registry-common';

/**
 * What a model owner resolver is asked about one model (a model package
 * group in one account, a catalog `Resource` of type `ai-model`).
 *
 * @public
 */
export interface ModelOwnerRequest {
  model: {
    /** The model package group's ARN. */
    arn: string;
    name: string;
    description?: string;
    /** The SageMaker project of its newest version that has one. */
    projectId?: string;
  };
  account: MlAccount;
  /** For a central model, the dev accounts its versions were promoted from. */
  sourceAccounts: MlAccount[];
  /**
   * The suite's owner: the account's team, else the team of a dev account it
   * was promoted from, else `mlRegistry.defaultOwner`.
   */
  derivedOwner: string;
}

/**
 * How a model's owner is derived: a user or group entity ref. Its endpoints
 * take the same owner.
 *
 * @public
 */
export interface ModelOwnerResolver {
  ownerOf(request: ModelOwnerRequest): Promise<string>;
}

/**
 * The suite's derivation, used when no module sets a resolver.
 *
 * @public
 */
export const derivedModelOwner: ModelOwnerResolver = {
  ownerOf: async request => request.derivedOwner,
};

/**
 * Sets how the ML registry backend derives a model's owner.
 *
 * @public
 */
export interface MlRegistryModelOwnerExtensionPoint {
  /** Replaces the suite's derivation; set at most once. */
  setModelOwnerResolver(resolver: ModelOwnerResolver): void;
}

/**
 * Where a backend module sets how a model's owner is derived.
 *
 * @public
 */
export const mlRegistryModelOwnerExtensionPoint =
  createExtensionPoint<MlRegistryModelOwnerExtensionPoint>({
    id: 'ml-registry.model-owner',
  });
