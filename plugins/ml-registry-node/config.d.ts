export interface Config {
  mlRegistry?: {
    /** AWS requests a second per account, retries included, before callers wait. Default 10. */
    requestsPerSecond?: number;
    /** Attempts per AWS call, with exponential backoff and jitter on throttling. Default 5. */
    maxAttempts?: number;
  };
}
