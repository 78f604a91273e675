import { afterAll, beforeAll, expect, test } from 'vitest';
import { SEED_CONNECTIONS } from '@/emulator/seed';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// Inside Next.js the global fetch is Next's wrapper (data cache, tracing). Auth0 calls must never pass through it:
// here a stand-in wrapper, built the way Next exposes the fetch it wraps, counts what reaches it. Its own fork: the
// adapter creates its client once.
const original = globalThis.fetch;
const wrapped: string[] = [];
const wrapper = Object.assign(
  (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    wrapped.push(String(input instanceof Request ? input.url : input));
    return original(input, init);
  },
  { _nextOriginalFetch: original },
) as typeof fetch;

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  globalThis.fetch = wrapper;
});
afterAll(async () => {
  globalThis.fetch = original;
  await emulator.close();
});

test('the token request, Management API calls and the JWKS read all bypass the wrapper', async () => {
  const { listConnectionKeys } = await inConfiguredTenant(import('./connections'));
  const { checkPublished } = await inConfiguredTenant(import('./jwks'));
  const connection = SEED_CONNECTIONS.oktaInitech;
  const keys = await listConnectionKeys(connection.id);
  expect(keys.length).toBeGreaterThan(0);
  const published = await checkPublished(connection.name, keys[0]?.kid ?? '');
  expect(published.error).toBeNull();
  expect(published.published).toBe(true);
  expect(wrapped).toEqual([]);
});

test('without a wrapper the global fetch is used as it is', async () => {
  const { platformFetch } = await inConfiguredTenant(import('./client'));
  const plain = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => original(input, init)) as typeof fetch;
  globalThis.fetch = plain;
  expect(platformFetch()).toBe(plain);
  globalThis.fetch = wrapper;
  expect(platformFetch()).toBe(original);
});
