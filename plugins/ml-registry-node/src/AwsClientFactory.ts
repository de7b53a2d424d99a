import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { readMlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';
import { metrics } from '@opentelemetry/api';
import { markAwsAccount } from './awsErrors';
import { RateLimiter } from './RateLimiter';

/** What every AWS SDK v3 client constructor takes that the factory fills in. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials: any;
  maxAttempts: number;
  retryMode: string;
  forcePathStyle?: boolean;
}

type Credentials = { expiration?: Date };
type CredentialProvider = () => Promise<Credentials>;

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Shares one set of credentials between every client of an account, so an
 * account costs one AssumeRole per credential lifetime, not one per client.
 */
function shareCredentials(provider: CredentialProvider): CredentialProvider {
  let current: Promise<Credentials> | undefined;
  let expiresAt = 0;
  return () => {
    if (!current || Date.now() > expiresAt - REFRESH_MARGIN_MS) {
      current = provider().then(credentials => {
        expiresAt =
          credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        return credentials;
      });
      current.catch(() => {
        current = undefined;
      });
      expiresAt = Number.POSITIVE_INFINITY;
    }
    return current;
  };
}

/**
 * Makes the AWS SDK v3 clients of the ML platform: credentials per account from
 * `@backstage/integration-aws-node` (the `aws` config), the platform's region,
 * the endpoint override (the local sandbox) and standard retries, which back
 * off with jitter on throttling. Nothing else in the suite knows how
 * credentials are obtained.
 *
 * @public
 */
export class AwsClientFactory {
  static fromConfig(
    config: Config,
    credentialsManager?: AwsCredentialsManager,
  ) {
    const platform = readMlPlatformConfig(config);
    return new AwsClientFactory(
      credentialsManager ?? DefaultAwsCredentialsManager.fromConfig(config),
      platform.region,
      platform.endpoint,
      config.getOptionalNumber('mlRegistry.maxAttempts') ?? 5,
      config.getOptionalNumber('mlRegistry.requestsPerSecond') ?? 10,
    );
  }

  private readonly credentials = new Map<string, Promise<CredentialProvider>>();
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly requests = metrics
    .getMeter('ml-registry')
    .createCounter('ml_registry.aws.requests', {
      description:
        'AWS API requests sent, every attempt, by account and operation',
    });

  private constructor(
    private readonly credentialsManager: AwsCredentialsManager,
    private readonly region: string,
    private readonly endpoint: string | undefined,
    private readonly maxAttempts: number,
    private readonly requestsPerSecond: number,
  ) {}

  /** The client config for one account, for clients made elsewhere. */
  async clientConfig(accountId: string): Promise<AwsClientConfig> {
    if (!this.credentials.has(accountId)) {
      this.credentials.set(
        accountId,
        this.credentialsManager
          .getCredentialProvider({ accountId })
          .then(p =>
            shareCredentials(p.sdkCredentialProvider as CredentialProvider),
          ),
      );
    }
    return {
      region: this.region,
      ...(this.endpoint
        ? { endpoint: this.endpoint, forcePathStyle: true }
        : {}),
      credentials: await this.credentials.get(accountId)!,
      maxAttempts: this.maxAttempts,
      // Standard: exponential backoff with jitter. Pacing is the limiter's job below; adaptive mode
      // would add a second, client-wide pacing that halves the rate after each throttle.
      retryMode: 'standard',
    };
  }

  /**
   * A client of `Client`'s service acting in `accountId`. Every attempt it
   * sends, retries included, waits for the account's request budget
   * (`mlRegistry.requestsPerSecond`, default 10) and is counted.
   */
  async create<T extends { middlewareStack: any }>(
    Client: new (config: AwsClientConfig) => T,
    accountId: string,
  ): Promise<T> {
    const client = new Client(await this.clientConfig(accountId));
    if (!this.limiters.has(accountId)) {
      this.limiters.set(accountId, new RateLimiter(this.requestsPerSecond));
    }
    const limiter = this.limiters.get(accountId)!;
    client.middlewareStack.add(
      (
          next: (args: unknown) => Promise<unknown>,
          context: { commandName?: string },
        ) =>
        async (args: unknown) => {
          await limiter.take();
          this.requests.add(1, {
            account_id: accountId,
            operation: context.commandName ?? 'unknown',
          });
          return next(args);
        },
      // Low priority in finalizeRequest runs inside the retry middleware: once per attempt.
      {
        step: 'finalizeRequest',
        priority: 'low',
        name: 'mlRegistryRequestBudget',
      },
    );
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        try {
          return await next(args);
        } catch (e) {
          markAwsAccount(e, accountId);
          throw e;
        }
      },
      // Outermost, so that the error the caller gets, after retries, names the account.
      {
        step: 'initialize',
        priority: 'high',
        name: 'mlRegistryAccountOfErrors',
      },
    );
    return client;
  }
}
