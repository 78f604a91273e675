import 'server-only';
import type { AuditStore } from '@/lib/audit';
import {
  type HandoffLinkFacts,
  handoffLinkCreatedEvent,
  handoffLinkOpenedEvent,
  handoffLinkRevokedEvent,
  type UserRequest,
} from '@/lib/audit/events';
import { type HandoffLinkRow, HandoffLinkStateError } from '@/lib/audit/handoff-links';
import { ActionError } from '@/lib/auth/action-core';
import type { ConnectionKey } from '@/lib/auth0/types';
import { newHandoffLinkId, signHandoffToken, verifyHandoffToken } from './token';
import type { HandoffKey, HandoffLinkView, HandoffOpenResult } from './types';

const DAY_MS = 24 * 3600 * 1000;

export interface HandoffDependencies {
  store: () => Promise<
    Pick<AuditStore, 'handoffLink' | 'handoffLinks' | 'createHandoffLink' | 'revokeHandoffLink' | 'append'>
  >;
  tenant: string;
  /** HMAC key of the tokens (token.ts handoffSigningKey). */
  signingKey: Buffer;
  /** The dashboard's public origin; links are `${origin}/handoff/${token}`. */
  origin: string;
  now: () => Date;
  /** The connection as Auth0 has it; throws Auth0Error (not_found…) as lib/auth0 does. */
  connection(connectionId: string): Promise<{ name: string; keyCapable: boolean }>;
  keys(connectionId: string): Promise<ConnectionKey[]>;
  jwksUrl(connectionName: string): string;
  /** The public forms of one key: JWK and one-key JWKS text (or why not), and the certificate's facts. */
  describeKey(key: ConnectionKey): Promise<Omit<HandoffKey, 'role'>>;
  /**
   * Whether to record this refused open of a known link (revoked, expired, Auth0 not answering). A leaked link keeps
   * being opened after it is revoked; recording each open would let anyone grow the trail (and hold its lock) at will.
   * Absent: every refused open is recorded.
   */
  recordRefusedOpen?(linkId: string): boolean;
}

function facts(row: HandoffLinkRow): HandoffLinkFacts {
  return {
    id: row.id,
    tenant: row.tenant,
    connectionId: row.connectionId,
    connectionName: row.connectionName,
    expiresAt: row.expiresAt,
  };
}

export function handoffUrl(deps: Pick<HandoffDependencies, 'origin' | 'signingKey'>, row: HandoffLinkRow): string {
  return `${deps.origin.replace(/\/+$/, '')}/handoff/${signHandoffToken(deps.signingKey, row)}`;
}

function view(deps: HandoffDependencies, row: HandoffLinkRow, now: Date): HandoffLinkView {
  const status = row.revokedAt ? 'revoked' : now >= row.expiresAt ? 'expired' : 'active';
  return {
    id: row.id,
    url: status === 'active' ? handoffUrl(deps, row) : null,
    status,
    createdAt: row.createdAt.toISOString(),
    createdBy: { sub: row.createdBySub, name: row.createdByName, email: row.createdByEmail },
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy:
      row.revokedAt && row.revokedBySub
        ? { sub: row.revokedBySub, name: row.revokedByName, email: row.revokedByEmail }
        : null,
  };
}

export async function listHandoffLinks(deps: HandoffDependencies, connectionId: string): Promise<HandoffLinkView[]> {
  const store = await deps.store();
  const now = deps.now();
  return (await store.handoffLinks(deps.tenant, connectionId)).map((row) => view(deps, row, now));
}

/** Makes a link to the connection's public keys, valid `expiresInDays`; the row and its event are stored together. */
export async function createHandoffLink(
  deps: HandoffDependencies,
  input: { connectionId: string; expiresInDays: number },
  request: UserRequest,
): Promise<HandoffLinkView> {
  const connection = await deps.connection(input.connectionId);
  if (!connection.keyCapable) {
    throw new ActionError('conflict', `${connection.name} has no signing keys, so there is nothing to hand off.`);
  }
  const createdAt = deps.now();
  // Whole seconds: the token carries the expiry in seconds, and the stored one must be the same instant.
  const expiresAt = new Date(Math.floor((createdAt.getTime() + input.expiresInDays * DAY_MS) / 1000) * 1000);
  const row: HandoffLinkRow = {
    id: newHandoffLinkId(),
    tenant: deps.tenant,
    connectionId: input.connectionId,
    connectionName: connection.name,
    createdBySub: request.user.sub,
    createdByName: request.user.name,
    createdByEmail: request.user.email,
    createdAt,
    expiresAt,
    revokedAt: null,
    revokedBySub: null,
    revokedByName: null,
    revokedByEmail: null,
  };
  const store = await deps.store();
  await store.createHandoffLink(handoffLinkCreatedEvent(request, facts(row)), row);
  return view(deps, row, createdAt);
}

/** Revokes a link of this connection at once; an unknown or already revoked link is refused and nothing is written. */
export async function revokeHandoffLink(
  deps: HandoffDependencies,
  input: { connectionId: string; linkId: string },
  request: UserRequest,
): Promise<HandoffLinkView> {
  const store = await deps.store();
  const row = await store.handoffLink(input.linkId);
  if (!row || row.tenant !== deps.tenant || row.connectionId !== input.connectionId) {
    throw new ActionError('conflict', 'This connection has no such hand-off link; reload the page.');
  }
  if (row.revokedAt) {
    throw new ActionError('conflict', `This link was already revoked ${row.revokedAt.toISOString()}.`);
  }
  try {
    await store.revokeHandoffLink(handoffLinkRevokedEvent(request, facts(row)), row, request.user);
  } catch (error) {
    // Revoked by someone else between the read and the write: the same answer, nothing appended.
    if (error instanceof HandoffLinkStateError) {
      throw new ActionError('conflict', error.reason === 'revoked' ? 'This link was already revoked.' : error.message);
    }
    throw error;
  }
  const revoked = await store.handoffLink(row.id);
  return view(deps, revoked ?? row, deps.now());
}

/** Who opened a link: no Keyshift user, only where from. */
export interface Visitor {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/**
 * The public open. A token whose signature fails is refused before the database is read (nothing to tie it to); a
 * known link's every open is audited, refused ones (revoked, expired) with their reason. Revocation and expiry are
 * read at each open, so a revoked link stops at once. Keys are read live from Auth0: the page shows what is true now.
 */
export async function openHandoffLink(
  deps: HandoffDependencies,
  token: string,
  visitor: Visitor,
): Promise<HandoffOpenResult> {
  const signed = verifyHandoffToken(deps.signingKey, token);
  if (!signed) return { status: 'invalid' };
  const store = await deps.store();
  const row = await store.handoffLink(signed.id);
  // A signed token with no row here (another database under the same secret) is not a link this Keyshift made.
  if (!row || row.tenant !== deps.tenant) return { status: 'invalid' };
  const link = facts(row);
  const recordRefusal = async (refused: 'revoked' | 'expired' | 'unavailable') => {
    if (deps.recordRefusedOpen?.(link.id) ?? true) {
      await store.append(handoffLinkOpenedEvent(link, { ...visitor, refused }));
    }
  };
  if (row.revokedAt) {
    await recordRefusal('revoked');
    return { status: 'revoked', revokedAt: row.revokedAt.toISOString() };
  }
  // The stored expiry is the link's; the signed one can only shorten it (both are the same instant when made).
  const expiredAt = new Date(Math.min(row.expiresAt.getTime(), signed.expiresAt.getTime()));
  if (deps.now() >= expiredAt) {
    await recordRefusal('expired');
    return { status: 'expired', expiredAt: expiredAt.toISOString() };
  }
  let keys: HandoffKey[];
  try {
    const all = await deps.keys(row.connectionId);
    const chosen = [all.find((key) => key.next), all.find((key) => key.current)].filter(
      (key): key is ConnectionKey => key !== undefined,
    );
    keys = await Promise.all(
      chosen.map(async (key) => ({
        role: key.next ? ('next' as const) : ('current' as const),
        ...(await deps.describeKey(key)),
      })),
    );
  } catch {
    await recordRefusal('unavailable');
    return { status: 'unavailable' };
  }
  await store.append(
    handoffLinkOpenedEvent(link, { ...visitor, refused: null, servedKids: keys.map((key) => key.kid) }),
  );
  return {
    status: 'valid',
    connectionName: row.connectionName,
    tenant: row.tenant,
    jwksUrl: deps.jwksUrl(row.connectionName),
    expiresAt: row.expiresAt.toISOString(),
    keys,
  };
}

/**
 * Why a token is refused, for the not-found page of a refused open (openHandoffLink has already recorded the open):
 * reads, never writes, and says nothing about a token whose signature fails.
 */
export async function handoffRefusal(
  deps: Pick<HandoffDependencies, 'store' | 'signingKey' | 'tenant' | 'now'>,
  token: string,
): Promise<Extract<HandoffOpenResult, { status: 'expired' | 'revoked' | 'invalid' }>> {
  const signed = verifyHandoffToken(deps.signingKey, token);
  if (!signed) return { status: 'invalid' };
  const row = await (await deps.store()).handoffLink(signed.id);
  if (!row || row.tenant !== deps.tenant) return { status: 'invalid' };
  if (row.revokedAt) return { status: 'revoked', revokedAt: row.revokedAt.toISOString() };
  const expiredAt = new Date(Math.min(row.expiresAt.getTime(), signed.expiresAt.getTime()));
  if (deps.now() >= expiredAt) return { status: 'expired', expiredAt: expiredAt.toISOString() };
  return { status: 'invalid' };
}
