import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// A fixed AUTH0_MANAGEMENT_TOKEN cannot be renewed: a rejected one must say which setting to change, and must not
// send Keyshift off to the token endpoint it has no credentials for. Its own fork: the adapter reads config once.
let emulator: RunningEmulator;
let adapter: typeof import('./connections');

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const minted = await fetch(`${emulator.url}/__emulator/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'demo-m2m', expires_in: -60 }),
  });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  process.env.AUTH0_MANAGEMENT_TOKEN = ((await minted.json()) as { access_token: string }).access_token;
  adapter = await inConfiguredTenant(import('./connections'));
});
afterAll(() => emulator.close());

test('an expired static Management token fails with a sentence naming AUTH0_MANAGEMENT_TOKEN, tried once', async () => {
  await expect(adapter.rotateConnectionKeys('con_Q7tLk2vMx9RbW4sE', 'RS256')).rejects.toMatchObject({
    code: 'auth0:unauthorized',
    message: expect.stringContaining('AUTH0_MANAGEMENT_TOKEN (expired or revoked)'),
  });
  const calls = (await (await fetch(`${emulator.url}/__emulator/calls`)).json()) as Record<string, unknown>;
  expect(calls['POST /api/v2/connections/{id}/keys/rotate']).toBe(1);
  expect(calls['POST /oauth/token']).toBeUndefined();
  expect(calls.rotations).toEqual({});
});
