import 'server-only';
import { asc, gt } from 'drizzle-orm';
import { GENESIS_HASH, hashEvent } from './chain';
import type { AuditDb } from './database';
import { auditEvents } from './schema';
import type { AuditEvent, VerifyResult } from './types';

const BATCH = 1_000;

/**
 * Walks the chain in id order, one batch at a time, recomputing every hash and checking every link. Names the first
 * event that fails: an edited row fails its own hash; a deleted or reordered row breaks the next row's link.
 * A chain alone cannot reveal that its newest events were removed or the whole tail rewritten; compare `head`
 * with a copy kept elsewhere for that.
 */
export async function verifyChain(db: AuditDb): Promise<VerifyResult> {
  const walk = chainWalk();
  let last: number | null = null;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(last === null ? undefined : gt(auditEvents.id, last))
      .orderBy(asc(auditEvents.id))
      .limit(BATCH);
    for (const event of batch) {
      const broken = walk.check(event);
      if (broken) return broken;
      last = event.id;
    }
    if (batch.length < BATCH) break;
  }
  return walk.result();
}

/**
 * The chain's rules, one event at a time in id order, for the database (verifyChain) and for an export read back
 * from a file (verify-export.ts) alike: `check` answers the failed result at the first broken event, else null.
 */
export function chainWalk() {
  let checked = 0;
  let previous: { id: number; hash: string; occurredAt: Date } | null = null;
  return {
    check(event: AuditEvent): VerifyResult | null {
      checked += 1;
      const { hash, ...content } = event;
      const expectedPrev = previous?.hash ?? GENESIS_HASH;
      if (event.prevHash !== expectedPrev) {
        const reason = previous
          ? `prevHash does not match the hash of event ${previous.id}: an event between them was deleted, or rows were reordered`
          : 'the first event does not start the chain (prevHash is not the genesis hash): earlier events were deleted';
        return { ok: false, checked, firstBroken: { id: event.id, reason } };
      }
      if (hashEvent(content) !== hash) {
        return {
          ok: false,
          checked,
          firstBroken: { id: event.id, reason: 'its content does not match its hash: the event was edited' },
        };
      }
      if (previous && event.occurredAt < previous.occurredAt) {
        const reason = `occurredAt is earlier than event ${previous.id}'s: rows were reordered or inserted out of band`;
        return { ok: false, checked, firstBroken: { id: event.id, reason } };
      }
      previous = { id: event.id, hash, occurredAt: event.occurredAt };
      return null;
    },
    result(): VerifyResult {
      return previous ? { ok: true, checked, head: { id: previous.id, hash: previous.hash } } : { ok: true, checked };
    },
  };
}
