import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_KEY_AGES, SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { managementClient } from './test-support';

let aged: RunningEmulator;
beforeAll(async () => {
  aged = await startEmulator({ port: 0, agedKeys: true });
});
afterAll(() => aged.close());

test('--aged-keys: a seeded connection’s keys were made its age ago, its certificates valid from then', async () => {
  const { oidcHooli, oktaAcme } = SEED_CONNECTIONS;
  const client = managementClient(aged.url);
  const days = DEMO_KEY_AGES[oidcHooli.id] ?? 0;
  expect(days).toBeGreaterThan(365);
  const keys = await client.connections.keys.get(oidcHooli.id);
  const current = keys.find((key) => key.current);
  const since = Date.parse(current?.current_since ?? '');
  expect(Math.round((Date.now() - since) / 86_400_000)).toBe(days);
  const cert = new X509Certificate(current?.cert ?? '');
  expect(Math.round((Date.now() - Date.parse(cert.validFrom)) / 86_400_000)).toBe(days);
  // Older than a year: the certificate has expired, as the demo's fleet shows.
  expect(Date.parse(cert.validTo)).toBeLessThan(Date.now());
  // A connection not in the table is made now.
  const fresh = (await client.connections.keys.get(oktaAcme.id)).find((key) => key.current);
  expect(Date.now() - Date.parse(fresh?.current_since ?? '')).toBeLessThan(60_000);
});
