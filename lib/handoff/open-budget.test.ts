import { expect, test } from 'vitest';
import { createOpenBudget } from './open-budget';

test('each client has its own burst, refilled over time; everyone together has a cap of their own', () => {
  let now = 0;
  const take = createOpenBudget(
    { perClient: { burst: 3, perSecond: 1 }, everyone: { burst: 5, perSecond: 1 } },
    { now: () => now },
  );
  expect([1, 2, 3].map(() => take('198.51.100.1').ok)).toEqual([true, true, true]);
  expect(take('198.51.100.1')).toEqual({ ok: false, retryAfterMs: 1000 });
  // Another address is served until the shared cap (5) is spent.
  expect([1, 2].map(() => take('198.51.100.2').ok)).toEqual([true, true]);
  expect(take('198.51.100.2').ok).toBe(false);
  expect(take(null).ok).toBe(false);
  now = 1000;
  expect(take('198.51.100.1').ok).toBe(true);
});

test('requests without an address (no trusted proxy hops) are held only by the shared cap, not by one another', () => {
  const take = createOpenBudget({ perClient: { burst: 2, perSecond: 1 }, everyone: { burst: 4, perSecond: 1 } });
  expect([take(null).ok, take(null).ok, take(null).ok, take(null).ok, take(null).ok]).toEqual([
    true,
    true,
    true,
    true,
    false,
  ]);
});
