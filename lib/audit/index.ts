import 'server-only';

export { isDuplicateEvent } from './append';
export {
  type CampaignCounts,
  type CampaignItemOutcome,
  type CampaignItemRow,
  type CampaignRow,
  type CampaignState,
  CampaignStateError,
  FINAL_ITEM_STATUSES,
  type NewCampaign,
  type NewCampaignItem,
  type ScheduleRow,
  type ScheduleWrite,
} from './campaigns';
export { canonicalEvent, canonicalJson, GENESIS_HASH, hashEvent } from './chain';
export {
  ConnectionLockedError,
  type HeldBy,
  type HeldConnectionLock,
  type LockHolder,
  LockLostError,
} from './connection-lock';
export { type AuditDatabase, type AuditStoreOptions, openAuditDatabase } from './database';
export { csvColumns, type ExportFormat, type ExportOptions } from './export';
export {
  type InventoryRow,
  type KeyChange,
  type RotationCount,
  type RotationPolicyRow,
  type RotationPolicyWrite,
  TENANT_POLICY,
} from './inventory';
export type { DeliveryRow, NewDelivery } from './notifications';
export {
  isOutcomeType,
  type OutcomeFilter,
  type OutcomeType,
  outcomeFilters,
  outcomeTypes,
  type RotationOutcome,
  rotationOutcomes,
  type SettledOutcome,
  settledOutcomes,
} from './outcomes';
export { rotationRow } from './rotations';
export {
  type AuditEventType,
  auditEventTypes,
  type CampaignItemStatus,
  campaignItemStatuses,
  type InventoryKeyFacts,
} from './schema';
export { type AuditStore, auditStore, auditStoreOptions, createAuditStore, openAuditStore } from './store';
export {
  AuditBusyError,
  type AuditEvent,
  type AuditEventInput,
  type AuditFilters,
  AuditInputError,
  auditEventInput,
  auditFilters,
  type ListQuery,
  type Page,
  RotationPendingError,
  type RotationRow,
  type VerifyResult,
} from './types';
