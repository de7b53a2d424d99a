import path from 'node:path';
import { SandboxCore } from './core';
import { Fault } from './faults';
import { loadState } from './persistence';
import { readScenario, seedScenario } from './scenario';
import { serve } from './server';
import { SandboxState } from './state';

export const DEFAULT_SCENARIO = path.join(
  path.dirname(require.resolve('@ml-governance/aws-sandbox/package.json')),
  'scenarios/default.yaml',
);

export interface SandboxOptions {
  /** 0 picks a free port, as tests do. Defaults to 4566. */
  port?: number;
  host?: string;
  /** The scenario YAML; defaults to scenarios/default.yaml. */
  scenario?: string;
  /** Where state is kept across restarts; in memory only when left out. */
  stateFile?: string;
  /** Milliseconds per simulated step (pipeline steps, deployments). Defaults to 1000. */
  stepMs?: number;
  /**
   * Holds every response to AWS's model of the operation (see README, Contract);
   * a breach fails the request with a 500. On by default in tests (NODE_ENV
   * `test` or a Jest worker), off otherwise.
   */
  checkResponses?: boolean;
}

export interface Sandbox {
  /** The endpoint to give AWS SDK clients, e.g. http://127.0.0.1:4566. */
  url: string;
  core: SandboxCore;
  setFaults(faults: Fault[]): void;
  /** Requests served, by `service:Operation` and then by account. */
  counters(): Record<string, Record<string, number>>;
  /** Resolves once no simulated work (pipeline step, build) is pending. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the sandbox: from the saved state when `stateFile` exists, else from
 * the scenario.
 */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const saved = options.stateFile ? loadState(options.stateFile) : undefined;
  const fresh: SandboxState = {
    formatVersion: 1,
    region: 'us-east-1',
    accounts: {},
    roles: [],
    sessions: {},
    buckets: {},
    sequence: 0,
  };
  const core = new SandboxCore(
    saved ?? fresh,
    options.stepMs ?? 1000,
    options.stateFile,
  );
  const host = options.host ?? '127.0.0.1';
  const checkResponses =
    options.checkResponses ??
    (process.env.NODE_ENV === 'test' ||
      process.env.JEST_WORKER_ID !== undefined);
  const server = await serve(core, options.port ?? 4566, host, {
    checkResponses,
  });
  // Queue URLs and the like carry the sandbox's address, so it is known before seeding.
  core.url = server.url;
  if (saved) {
    core.resume();
  } else {
    try {
      await seedScenario(
        core,
        readScenario(options.scenario ?? DEFAULT_SCENARIO),
      );
    } catch (e) {
      core.close();
      await server.close();
      throw e;
    }
    core.flush();
  }
  return {
    url: server.url,
    core,
    setFaults: faults => core.faults.set(faults),
    counters: () => core.counters(),
    settled: () => core.settled(),
    close: async () => {
      core.close();
      await server.close();
    },
  };
}

/**
 * The `aws` config with which `@backstage/integration-aws-node` reaches the
 * sandbox: the tooling account's keys, assuming each account's backstage-ml
 * role (as the default scenario and scale seeding define it).
 */
export const SANDBOX_AWS_CONFIG = {
  mainAccount: { accessKeyId: '999999999999', secretAccessKey: 'sandbox' },
  accountDefaults: { roleName: 'backstage-ml' },
};
