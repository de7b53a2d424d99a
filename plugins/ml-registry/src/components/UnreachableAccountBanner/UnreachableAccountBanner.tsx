import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { AwsFault, Staleness } from '@ml-governance/plugin-ml-registry-common';

const REASONS: Record<AwsFault, string> = {
  throttling: 'AWS throttles its requests',
  'server-error': 'AWS answers with server errors',
  network: 'the connection to AWS fails',
  timeout: 'requests to AWS time out',
  'expired-credentials': "Backstage's credentials for it have expired",
  'access-denied': "Backstage's role in it is denied access",
};

/** The backend's 503: an AWS account cannot be reached and nothing of it is stored to show. */
export function isAccountUnreachable(error: unknown): error is ResponseError {
  return error instanceof ResponseError && error.response.status === 503;
}

/**
 * Says which AWS account cannot be reached and since when, above the state
 * last read from it, which the page keeps showing; or, where nothing was
 * read yet, the backend's 503 naming the account, in place of an error page.
 */
export function UnreachableAccountBanner(
  props: { stale: Staleness } | { unavailable: ResponseError },
) {
  if ('unavailable' in props) {
    return (
      <WarningPanel
        severity="warning"
        title={props.unavailable.body.error.message}
      />
    );
  }
  const { account, since, reason } = props.stale;
  return (
    <WarningPanel
      severity="warning"
      title={`AWS account ${account.name} (${
        account.accountId
      }) cannot be reached: showing its state as last read ${new Date(
        since,
      ).toLocaleString()}`}
    >
      {`${REASONS[reason]}. What is shown may be out of date; it refreshes once the account answers again.`}
    </WarningPanel>
  );
}
