import 'server-only';
import { auditStore } from '@/lib/audit';
import { config } from '@/lib/config';
import type { DeniedAttempt } from './action-core';

/** Who tried what without the right to: kept in the same chain as the rotations. */
export async function recordDenied(attempt: DeniedAttempt): Promise<void> {
  const store = await auditStore();
  await store.append({
    type: 'access.denied',
    actorSub: attempt.user?.sub,
    actorEmail: attempt.user?.email,
    actorName: attempt.user?.name,
    tenant: config().auth0.domain,
    requestId: attempt.requestId,
    clientIp: attempt.ip,
    userAgent: attempt.userAgent,
    message:
      attempt.reason === 'unauthenticated'
        ? 'No session.'
        : `Role ${attempt.user?.role ?? 'none'} lacks ${attempt.permission}.`,
    details: { action: attempt.action, permission: attempt.permission, reason: attempt.reason },
  });
}

export async function recordSignIn(user: {
  sub: string;
  email: string | null;
  name: string | null;
  role: string | null;
}) {
  const store = await auditStore();
  await store.append({
    type: 'auth.signin',
    actorSub: user.sub,
    actorEmail: user.email,
    actorName: user.name,
    tenant: config().auth0.domain,
    details: { role: user.role },
  });
}
