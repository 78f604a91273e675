import 'server-only';
import { createHash } from 'node:crypto';
import type { AuditEvent } from './types';

/** The prevHash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted (JavaScript's default string order) at every depth, no whitespace, `undefined` as
 * null and Dates as ISO-8601 UTC with milliseconds. jsonb reorders keys and drops whitespace, so only a sorted form
 * survives a round trip through the database unchanged.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The hashed form of an event: every column except `hash` itself — including `id`, `occurredAt` and `prevHash` —
 * as canonical JSON. Spelled out field by field so that a new column fails to compile here until it is decided.
 * hash = lowercase hex SHA-256 of the UTF-8 bytes of this string.
 */
export function canonicalEvent(event: Omit<AuditEvent, 'hash'>): string {
  const fields: Record<keyof Omit<AuditEvent, 'hash'>, unknown> = {
    id: event.id,
    occurredAt: event.occurredAt,
    type: event.type,
    actorSub: event.actorSub,
    actorEmail: event.actorEmail,
    actorName: event.actorName,
    tenant: event.tenant,
    connectionId: event.connectionId,
    connectionName: event.connectionName,
    algorithm: event.algorithm,
    requestId: event.requestId,
    clientIp: event.clientIp,
    userAgent: event.userAgent,
    status: event.status,
    errorCode: event.errorCode,
    message: event.message,
    newKid: event.newKid,
    newFingerprint: event.newFingerprint,
    previousKid: event.previousKid,
    durationMs: event.durationMs,
    details: event.details,
    requestedEventId: event.requestedEventId,
    prevHash: event.prevHash,
  };
  return canonicalJson(fields);
}

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalEvent(event), 'utf8').digest('hex');
}

/** A 64-bit PostgreSQL advisory lock key (as a decimal string for a `::bigint` parameter) derived from a name. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(`keyshift:${name}`).digest().readBigInt64BE(0).toString();
}

export const CHAIN_LOCK_KEY = advisoryKey('audit-chain');
export const MIGRATION_LOCK_KEY = advisoryKey('audit-migrations');
