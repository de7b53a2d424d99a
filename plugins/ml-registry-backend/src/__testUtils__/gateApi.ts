import { Server } from 'node:http';
import { mockCredentials } from '@backstage/backend-test-utils';
import { VersionGates } from '@ml-governance/plugin-ml-registry-common';
import { until } from '@ml-governance/test-utils';
import request from 'supertest';
import { GATE_TEST_ACCOUNTS } from './gateBackend';

/** The request headers of a user of the example organisation. */
export const asUser = (user: string) => ({
  authorization: mockCredentials.user.header(`user:default/${user}`),
});

/** Waits until the backend's first sync has read every gate test account. */
export async function untilFirstSync(server: Server | string): Promise<void> {
  await until('the first sync', async () => {
    const items =
      (
        await request(server)
          .get('/api/ml-registry/accounts')
          .set(asUser('grace.governance'))
      ).body.items ?? [];
    return (
      items.length === GATE_TEST_ACCOUNTS.length &&
      items.every((a: { stale?: boolean }) => !a.stale)
    );
  });
}

/** A version's gates as a user reads them. */
export function requestGates(server: Server, arn: string, user: string) {
  return request(server)
    .get('/api/ml-registry/gates')
    .query({ arn })
    .set(asUser(user));
}

/** A version's gates as the governance officer reads them. */
export async function readGates(
  server: Server,
  arn: string,
  user = 'grace.governance',
): Promise<VersionGates> {
  return (await requestGates(server, arn, user)).body;
}

/** Waits until a version registered in AWS is in the backend's store, as a user reads it; its gates. */
export async function untilStored(
  server: Server,
  arn: string,
  user: string,
  timeoutMs?: number,
): Promise<VersionGates> {
  return until(
    `${arn} in the store`,
    async () => {
      const response = await requestGates(server, arn, user);
      return response.status === 200 ? response.body : undefined;
    },
    timeoutMs,
  );
}
