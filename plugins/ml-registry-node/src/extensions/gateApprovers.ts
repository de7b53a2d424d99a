import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  DecisionGate,
  MlModelVersionResource,
} from '@ml-governance/plugin-ml-registry-common';

/**
 * What a gate approvers resolver is asked: who decides `gate` of `version`.
 *
 * @public
 */
export interface GateApproversRequest {
  gate: DecisionGate;
  /** The version decided: its ARN, its account, the account's stage and team. */
  version: MlModelVersionResource;
  /** The gate's approvers in config (`mlRegistry.gates.approvers.<gate>`). */
  configured: string[];
}

/**
 * Who decides each gate: user and group entity refs. The permission rule
 * `IS_GATE_APPROVER`, which the suite's policy puts in every gate decision,
 * holds for a user whose ownership refs include one of them.
 *
 * @public
 */
export interface GateApprovers {
  approversOf(request: GateApproversRequest): Promise<string[]>;
}

/**
 * The approvers in config, used when no module sets a resolver.
 *
 * @public
 */
export const configuredGateApprovers: GateApprovers = {
  approversOf: async request => request.configured,
};

/**
 * Sets who decides each gate of the ML registry backend.
 *
 * @public
 */
export interface MlRegistryGateApproversExtensionPoint {
  /** Replaces the approvers in config; set at most once. */
  setGateApprovers(approvers: GateApprovers): void;
}

/**
 * Where a backend module sets the approvers of each gate.
 *
 * @public
 */
export const mlRegistryGateApproversExtensionPoint =
  createExtensionPoint<MlRegistryGateApproversExtensionPoint>({
    id: 'ml-registry.gate-approvers',
  });
