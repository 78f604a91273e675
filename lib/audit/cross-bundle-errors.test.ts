import { describe, expect, test, vi } from 'vitest';

/**
 * Next.js compiles instrumentation, pages and actions into separate server bundles, each with its own copy of
 * lib/audit, while the audit store is one per process (whoever opens it first). An error class imported in one
 * bundle must still recognise the error the store of another bundle threw. Re-importing after resetModules gives a
 * second copy of each class, as a second bundle has.
 */
async function twoCopies() {
  const first = { lock: await import('./connection-lock'), types: await import('./types') };
  vi.resetModules();
  const second = { lock: await import('./connection-lock'), types: await import('./types') };
  return { first, second };
}

describe('audit errors across server bundles', () => {
  test('ConnectionLockedError from another copy of the class is still a ConnectionLockedError', async () => {
    const { first, second } = await twoCopies();
    expect(second.lock.ConnectionLockedError).not.toBe(first.lock.ConnectionLockedError);
    const thrown = new first.lock.ConnectionLockedError('con_x', null);
    expect(thrown instanceof second.lock.ConnectionLockedError).toBe(true);
    expect(new Error('other') instanceof second.lock.ConnectionLockedError).toBe(false);
    expect(thrown instanceof second.types.AuditInputError).toBe(false);
  });

  test('AuditInputError likewise', async () => {
    const { first, second } = await twoCopies();
    expect(new first.types.AuditInputError('bad') instanceof second.types.AuditInputError).toBe(true);
    expect(new TypeError('bad') instanceof second.types.AuditInputError).toBe(false);
  });
});
