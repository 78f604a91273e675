import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// The watch after a rotation reads sign-ins through the SDK from the emulator's GET /api/v2/logs: the connection's
// own, newest first, paged, with no user fields. Its own fork: the adapter reads config once.
let emulator: RunningEmulator;
let logs: typeof import('./logs');

const ACME = { id: 'con_Q7tLk2vMx9RbW4sE', name: 'okta-acme' };
const INITECH = { id: 'con_Vb5wGm0JqX2nCe7R', name: 'okta-initech' };

async function signIns(name: string, count: number) {
  const response = await fetch(`${emulator.url}/__emulator/idps/${name}/sign-ins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: { log_id: string; type: string }[] }).events;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  logs = await inConfiguredTenant(import('./logs'));
});
afterAll(() => emulator.close());

test('reads the connection’s sign-ins newest first, page by page, with only the four fields the watch needs', async () => {
  const acme = await signIns(ACME.name, 3);
  await signIns(INITECH.name, 2);

  // The emulator may hold older sign-ins of its own: the newest three are the ones just made, in two pages.
  const first = await logs.readSignInPage(ACME.id, 0, 2);
  const second = await logs.readSignInPage(ACME.id, 1, 2);
  expect(first.more).toBe(true);
  expect([...first.events, ...second.events].slice(0, 3).map((event) => event.logId)).toEqual(
    acme.map((event) => event.log_id).reverse(),
  );
  for (const event of first.events) {
    expect(Object.keys(event).sort()).toEqual(['date', 'description', 'logId', 'type']);
    expect(event).toMatchObject({ type: 's', description: 'Successful login' });
  }
});

test('a rotation nobody prepared: the pasted IdP refuses the new key, and the failure names the client assertion', async () => {
  const token = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'demo-m2m',
      client_secret: 'demo-m2m-secret',
      audience: 'https://demo-tenant.local/api/v2/',
    }),
  }).then((response) => response.json() as Promise<{ access_token: string }>);
  const rotated = await fetch(`${emulator.url}/api/v2/connections/${INITECH.id}/keys/rotate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(rotated.status).toBe(201);
  await signIns(INITECH.name, 1);
  const { events } = await logs.readSignInPage(INITECH.id, 0);
  expect(events[0]).toMatchObject({
    type: 'f',
    description: 'invalid_client: The client_assertion JWT kid is invalid',
  });
  expect(events.slice(1).every((event) => event.type === 's')).toBe(true);
});
