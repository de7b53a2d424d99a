import { mockCredentials } from '@backstage/backend-test-utils';
import { Sandbox, startSandbox } from '@ml-governance/aws-sandbox';
import request from 'supertest';
import { startGateBackend } from '../__testUtils__/gateBackend';
import { spec } from '../schema/openapi.generated';
import { errorBodyProblems } from './__testUtils__/specValidation';

const API = '/api/ml-registry';
const VERSIONS = `${API}/models/222222222222/fraud-detection/versions`;
const UNCONFIGURED =
  'arn:aws:sagemaker:us-east-1:999999999999:model-package/fraud-detection/1';
const dana = mockCredentials.user.header('user:default/dana.scientist');

/**
 * The REST API keeps the contract its OpenAPI document publishes, for each way
 * a hostile client found it did not: bounds and strict integers, one error body
 * everywhere, 404/405/413/415, query values as browsers send them, and the
 * same not-found on every route.
 */
describe('the REST contract', () => {
  let sandbox: Sandbox;
  let server: any;
  const get = (path: string) =>
    request(server).get(path).set('authorization', dana);

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, stepMs: 10 });
    process.env.AWS_ENDPOINT_URL_STS = sandbox.url;
    server = await startGateBackend({ sandbox, events: false });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  function expectError(response: request.Response, status: number) {
    expect({ status: response.status, type: response.type }).toEqual({
      status,
      type: 'application/json',
    });
    expect(errorBodyProblems(response.body)).toEqual([]);
    expect(JSON.stringify(response.body)).not.toMatch(
      /select |\bat \/|node_modules|\.ts:\d/i,
    );
  }

  it('bounds offset within what both databases take, and reads integers strictly', async () => {
    for (const offset of [
      '9223372036854775808',
      '2147483648',
      'Infinity',
      '1e3',
      '0x10',
      ' 5',
      '05',
      '-1',
      '9007199254740993',
    ]) {
      const response = await get(
        `${VERSIONS}?offset=${encodeURIComponent(offset)}`,
      );
      expectError(response, 400);
    }
    const deepest = await get(`${VERSIONS}?offset=2147483647&limit=500`);
    expect(deepest.status).toBe(200);
    expect(deepest.body).toMatchObject({
      offset: 2147483647,
      limit: 500,
      items: [],
    });
  });

  it('answers every refusal with the Error body, unknown paths and methods included', async () => {
    expectError(await get(`${API}/accounts?colour=red`), 400);
    expectError(await get(`${API}/nothing-here`), 404);
    const wrongMethod = await request(server)
      .delete(`${API}/accounts`)
      .set('authorization', dana);
    expectError(wrongMethod, 405);
    expect(wrongMethod.headers.allow).toBe('GET');
    expectError(await request(server).get(`${API}/accounts`), 401);
    const decision = {
      arn: 'arn:aws:sagemaker:us-east-1:222222222222:model-package/fraud-detection/1',
      gate: 'dev-approval',
      decision: 'approve',
    };
    const huge = await request(server)
      .post(`${API}/gates/decisions`)
      .set('authorization', dana)
      .send({ ...decision, reason: 'x'.repeat(70_000) });
    expectError(huge, 413);
    const text = await request(server)
      .post(`${API}/gates/decisions`)
      .set('authorization', dana)
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ ...decision, reason: 'fine' }));
    expectError(text, 415);
    const garbage = await request(server)
      .post(`${API}/gates/decisions`)
      .set('authorization', dana)
      .set('content-type', 'application/json')
      .send('{"arn":');
    expectError(garbage, 400);
  });

  it("accepts query values as a browser's encodeURIComponent sends them", async () => {
    const owner = "group:default/o'(k)!*";
    const response = await get(
      `${API}/models?owner=${encodeURIComponent(owner)}&account=fraud-dev`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });

  it('answers 404 for the ARN of an account not configured on every route that takes an ARN', async () => {
    const statuses = await Promise.all(
      ['/versions/by-arn', '/gates', '/audit'].map(async path => {
        const response = await get(`${API}${path}?arn=${UNCONFIGURED}`);
        expectError(response, 404);
        return response.status;
      }),
    );
    expect(statuses).toEqual([404, 404, 404]);
    const lead = mockCredentials.user.header('user:default/leo.lead');
    for (const [path, body] of [
      [
        '/gates/decisions',
        {
          arn: UNCONFIGURED,
          gate: 'dev-approval',
          decision: 'approve',
          reason: 'x',
        },
      ],
      ['/gates/retries', { arn: UNCONFIGURED }],
    ] as const) {
      const response = await request(server)
        .post(`${API}${path}`)
        .set('authorization', lead)
        .send(body);
      expectError(response, 404);
    }
  });

  it('publishes the document it validates against', async () => {
    const published = await get(`${API}/openapi.json`);
    expect(published.status).toBe(200);
    expect(Object.keys(published.body.paths)).toEqual(
      Object.keys(spec.paths).map(p => `${API}${p}`),
    );
  });
});
