import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RotationPendingError } from './index';
import { auditBackends, type Scratch } from './test-backends';
import type { AuditEventInput } from './types';

const backends = await auditBackends('lib/audit/pending-guard.test.ts');

const requested = (connectionId: string): AuditEventInput => ({
  type: 'rotation.requested',
  connectionId,
  requestId: randomUUID(),
  actorSub: 'auth0|alice',
});

describe.each(backends)('one pending rotation per connection on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch;
  beforeAll(async () => {
    if (backend.available) scratch = await backend.fresh();
  });
  afterAll(async () => scratch?.close());

  it('refuses a second rotation.requested while the first has no outcome, and adds nothing', async () => {
    const connectionId = `con_${randomUUID()}`;
    const first = await scratch.store.append(requested(connectionId));
    const second = requested(connectionId);
    const error = await scratch.store.append(second).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RotationPendingError);
    expect(error).toMatchObject({ connectionId, pendingRequestId: first.requestId });
    expect(await scratch.store.eventsForRequest(second.requestId ?? '')).toEqual([]);
    expect((await scratch.store.verify()).ok).toBe(true);

    // Another connection is not held up; and once the first is settled the connection takes a new request.
    await expect(scratch.store.append(requested(`con_${randomUUID()}`))).resolves.toMatchObject({
      id: expect.any(Number),
    });
    await scratch.store.append({ type: 'rotation.failed', connectionId, requestId: first.requestId });
    await expect(scratch.store.append(second)).resolves.toMatchObject({ requestId: second.requestId });
  });

  it('still records a request refused at once (its failure follows) beside a pending one, and is not held up by it', async () => {
    const connectionId = `con_${randomUUID()}`;
    const first = await scratch.store.append(requested(connectionId));
    const refused = { ...requested(connectionId), errorCode: 'conflict' };
    await expect(scratch.store.append(refused)).resolves.toMatchObject({ requestId: refused.requestId });
    // The first ends while the refusal's failure is still being written: the next rotation is not refused for it.
    await scratch.store.append({ type: 'rotation.succeeded', connectionId, requestId: first.requestId });
    const next = requested(connectionId);
    await expect(scratch.store.append(next)).resolves.toMatchObject({ requestId: next.requestId });
  });
});
