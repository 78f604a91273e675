import 'server-only';

export { canonicalEvent, canonicalJson, GENESIS_HASH, hashEvent } from './chain';
export { ConnectionLockedError, type HeldBy, type LockHolder } from './connection-lock';
export { type AuditDatabase, type AuditStoreOptions, openAuditDatabase } from './database';
export { csvColumns, type ExportFormat, type ExportOptions } from './export';
export { rotationRow } from './rotations';
export { type AuditEventType, auditEventTypes, outcomeTypes } from './schema';
export { type AuditStore, auditStore, auditStoreOptionsFromEnv, createAuditStore, openAuditStore } from './store';
export {
  type AuditEvent,
  type AuditEventInput,
  type AuditFilters,
  AuditInputError,
  auditEventInput,
  auditFilters,
  type ListQuery,
  type Page,
  type RotationOutcome,
  type RotationRow,
  rotationOutcomes,
  type VerifyResult,
} from './types';
