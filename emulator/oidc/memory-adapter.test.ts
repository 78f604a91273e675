import { describe, expect, test } from 'vitest';
import { createMemoryAdapterFactory } from './memory-adapter';

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (seconds: number) => (time += seconds * 1000) };
}

describe('memory adapter', () => {
  test.each<{ case: string; ttl: number | undefined; elapsed: number; found: boolean }>([
    { case: 'before expiry', ttl: 60, elapsed: 59, found: true },
    { case: 'at expiry', ttl: 60, elapsed: 60, found: false },
    { case: 'without a TTL', ttl: undefined, elapsed: 10_000_000, found: true },
  ])('find $case', async ({ ttl, elapsed, found }) => {
    const clock = fakeClock();
    const codes = createMemoryAdapterFactory(clock.now)('AuthorizationCode');
    await codes.upsert('c1', { accountId: 'a' }, ttl);
    clock.advance(elapsed);
    expect(await codes.find('c1')).toEqual(found ? { accountId: 'a' } : undefined);
  });

  test('models do not see each other, and consume marks the payload', async () => {
    const factory = createMemoryAdapterFactory();
    await factory('AuthorizationCode').upsert('same-id', { kind: 'code' }, 60);
    expect(await factory('AccessToken').find('same-id')).toBeUndefined();
    await factory('AuthorizationCode').consume('same-id');
    expect((await factory('AuthorizationCode').find('same-id'))?.consumed).toEqual(expect.any(Number));
  });

  test('sessions are found by uid until destroyed', async () => {
    const sessions = createMemoryAdapterFactory()('Session');
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1' });
    await sessions.destroy('s1');
    expect(await sessions.findByUid('u1')).toBeUndefined();
  });

  test('revoking a grant removes every token issued under it, across models', async () => {
    const factory = createMemoryAdapterFactory();
    await factory('AccessToken').upsert('at', { grantId: 'g1' }, 60);
    await factory('RefreshToken').upsert('rt', { grantId: 'g1' }, 60);
    await factory('AccessToken').upsert('other', { grantId: 'g2' }, 60);
    await factory('Grant').revokeByGrantId('g1');
    expect(await factory('AccessToken').find('at')).toBeUndefined();
    expect(await factory('RefreshToken').find('rt')).toBeUndefined();
    expect(await factory('AccessToken').find('other')).toEqual({ grantId: 'g2' });
  });
});
