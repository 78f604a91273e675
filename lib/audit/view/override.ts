import type { AuditEventView } from './types';

/** A rotation that went past the readiness gate, as its rotation.requested event records it. */
export interface ReadinessOverrideView {
  readiness: 'not_ready' | 'unknown';
  reason: string;
}

/** The override recorded with a rotation's request, if the operator acknowledged rotating an IdP not known ready. */
export function readinessOverrideOf(events: readonly AuditEventView[]): ReadinessOverrideView | null {
  const requested = events.find((event) => event.type === 'rotation.requested');
  const override = requested?.details?.override;
  if (typeof override !== 'object' || override === null) return null;
  const { readiness, reason, acknowledged } = override as Record<string, unknown>;
  if (acknowledged !== true || typeof reason !== 'string') return null;
  if (readiness !== 'not_ready' && readiness !== 'unknown') return null;
  return { readiness, reason };
}

/** "Rotated although the IdP was not ready: <reason>", the sentence the audit views show. */
export function describeOverride({ readiness, reason }: ReadinessOverrideView): string {
  const what = readiness === 'unknown' ? 'the IdP’s readiness was unknown' : 'the IdP was not ready';
  return `Rotated although ${what}: ${reason}`;
}

/** The campaign a rotation was an item of, as its events record it (lib/campaigns), or null. */
export function campaignIdOf(events: readonly AuditEventView[]): string | null {
  const campaignId = events.find((event) => typeof event.details?.campaignId === 'string')?.details?.campaignId;
  return typeof campaignId === 'string' ? campaignId : null;
}
