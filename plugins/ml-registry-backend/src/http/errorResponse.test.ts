import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { errorBodyProblems } from './__testUtils__/specValidation';
import { errorResponse } from './errorResponse';

describe('errorResponse', () => {
  const logger = mockServices.logger.mock();
  const app = express();
  app.get('/sql', () => {
    throw new Error(
      'select *, count(*) over () from versions offset 9223372036854776000 - datatype mismatch',
    );
  });
  app.get('/missing', () => {
    throw new NotFoundError('No model version x');
  });
  app.get('/busy', () => {
    throw Object.assign(new ServiceUnavailableError('Too many reads'), {
      retryAfterSeconds: 1,
      account: { accountId: '111111111111' },
    });
  });
  app.use(errorResponse({ logger }));

  it('answers an unexpected failure without its message, and logs it', async () => {
    const response = await request(app).get('/sql');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: { name: 'Error', message: 'Internal server error' },
      request: { method: 'GET', url: '/sql' },
      response: { statusCode: 500 },
    });
    expect(logger.error).toHaveBeenCalledWith(
      'GET /sql failed',
      expect.objectContaining({ message: expect.stringMatching(/^select/) }),
    );
  });

  it("answers a refusal with its name and message only, as the document's Error", async () => {
    const missing = await request(app).get('/missing');
    expect(missing.status).toBe(404);
    expect(errorBodyProblems(missing.body)).toEqual([]);
    const busy = await request(app).get('/busy');
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.body.error).toEqual({
      name: 'ServiceUnavailableError',
      message: 'Too many reads',
    });
  });
});
