import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { admin, call, fetchToken } from './test-support';

const { oktaAcme } = SEED_CONNECTIONS;

describe('rate limiting', () => {
  let small: RunningEmulator;
  beforeAll(async () => {
    small = await startEmulator({ rateLimit: { capacity: 3, refillPerSecond: 0.2 } });
  });
  afterAll(() => small.close());

  test('429 once the bucket is empty, with x-ratelimit-* headers; reconfigurable', async () => {
    const token = await fetchToken(small.url);
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await call(small.url, 'GET', '/api/v2/connections', { token });
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call(small.url, 'GET', `/api/v2/connections/${oktaAcme.id}/keys`, { token });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Global limit has been reached',
      errorCode: 'too_many_requests',
    });
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 5);
    expect(limited.headers.get('retry-after')).toBeNull();

    await admin(small.url, 'PUT', '/__emulator/rate-limit', { capacity: 1, refillPerSecond: 0.1, retryAfter: true });
    expect((await call(small.url, 'GET', '/api/v2/connections', { token })).status).toBe(200);
    const again = await call(small.url, 'GET', '/api/v2/connections', { token });
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('10');
    // The counters tell a test how many requests the bucket refused: the two 429s above.
    expect((await admin(small.url, 'GET', '/__emulator/calls')).body).toMatchObject({ rate_limited: 2 });
  });
});
