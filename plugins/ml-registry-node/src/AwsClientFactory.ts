import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { readMlPlatformConfig } from '@ml-governance/plugin-ml-registry-common';

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
        expiresAt = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
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
 * the endpoint override (the local sandbox) and adaptive retries, which back
 * off with jitter on throttling. Nothing else in the suite knows how
 * credentials are obtained.
 *
 * @public
 */
export class AwsClientFactory {
  static fromConfig(config: Config, credentialsManager?: AwsCredentialsManager) {
    const platform = readMlPlatformConfig(config);
    return new AwsClientFactory(
      credentialsManager ?? DefaultAwsCredentialsManager.fromConfig(config),
      platform.region,
      platform.endpoint,
      config.getOptionalNumber('mlRegistry.maxAttempts') ?? 5,
    );
  }

  private readonly credentials = new Map<string, Promise<CredentialProvider>>();

  private constructor(
    private readonly credentialsManager: AwsCredentialsManager,
    private readonly region: string,
    private readonly endpoint: string | undefined,
    private readonly maxAttempts: number,
  ) {}

  /** The client config for one account, for clients made elsewhere. */
  async clientConfig(accountId: string): Promise<AwsClientConfig> {
    if (!this.credentials.has(accountId)) {
      this.credentials.set(
        accountId,
        this.credentialsManager
          .getCredentialProvider({ accountId })
          .then(p => shareCredentials(p.sdkCredentialProvider as CredentialProvider)),
      );
    }
    return {
      region: this.region,
      ...(this.endpoint ? { endpoint: this.endpoint, forcePathStyle: true } : {}),
      credentials: await this.credentials.get(accountId)!,
      maxAttempts: this.maxAttempts,
      retryMode: 'adaptive',
    };
  }

  /** A client of `Client`'s service acting in `accountId`. */
  async create<T>(Client: new (config: AwsClientConfig) => T, accountId: string): Promise<T> {
    return new Client(await this.clientConfig(accountId));
  }
}
