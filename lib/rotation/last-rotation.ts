import 'server-only';
import type { AuditStore } from '@/lib/audit';
import type { KnownRotation } from './precondition';

/**
 * The newest rotation of the connection in the trail: Keyshift's own (its outcome's time), or one the log sync found
 * (the tenant log's date, which is when Auth0 rotated, not when Keyshift read the log).
 */
export async function lastKnownRotation(store: AuditStore, connectionId: string): Promise<KnownRotation | null> {
  const { events } = await store.list({
    filters: { connectionId, types: ['rotation.succeeded', 'rotation.external'] },
    limit: 1,
  });
  const [event] = events;
  if (!event) return null;
  const who = event.actorName ?? event.actorEmail ?? event.actorSub;
  if (!who) return null;
  const external = event.type === 'rotation.external';
  const logged = external && typeof event.details?.date === 'string' ? new Date(event.details.date) : null;
  const at = logged && !Number.isNaN(logged.getTime()) ? logged : event.occurredAt;
  return { who, at, external };
}
