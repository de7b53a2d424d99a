import { RateLimiter } from './RateLimiter';

describe('RateLimiter', () => {
  it('lets a burst through, then paces to the rate', async () => {
    const limiter = new RateLimiter(20);
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => limiter.take()));
    expect(Date.now() - started).toBeLessThan(100);
    await Promise.all(Array.from({ length: 10 }, () => limiter.take()));
    // Ten more at 20 a second take about half a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});
