import 'server-only';
import { z } from 'zod';
import type { Checkpoint } from './checkpoint';
import { parseJsonExactly } from './exact-json';
import { JSON_EXPORT_KIND, JSON_EXPORT_VERSION } from './export';
import type { AuditEvent, VerifyResult } from './types';
import { chainWalk } from './verify';

/**
 * Verifies a JSON export (export.ts) offline, with the very rules the database's chain is verified with
 * (verify.ts `chainWalk`, chain.ts `hashEvent`): every hash recomputed, every link followed from the first event.
 * Only an export of the whole chain can be verified: a filtered one leaves out events the links need, so it is
 * refused as such rather than reported as tampered. With a checkpoint (a head the server logged, checkpoint.ts),
 * it also proves that the export reaches that head unchanged.
 */
export type ExportVerdict =
  | { ok: true; result: VerifyResult }
  | { ok: false; refused: string }
  | { ok: false; result: VerifyResult; refused: string };

const envelope = z.object({
  kind: z.literal(JSON_EXPORT_KIND),
  version: z.literal(JSON_EXPORT_VERSION),
  filtered: z.boolean(),
  filters: z.record(z.string(), z.unknown()),
  events: z.array(z.record(z.string(), z.unknown())),
});

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
/** One exported event, as JSON.stringify wrote it: occurredAt back to a Date, every column present. */
const exportedEvent = z.strictObject({
  id: z.number().int().min(1),
  occurredAt: z.iso.datetime().transform((value) => new Date(value)),
  type: z.string(),
  actorSub: nullable(z.string()),
  actorEmail: nullable(z.string()),
  actorName: nullable(z.string()),
  tenant: nullable(z.string()),
  connectionId: nullable(z.string()),
  connectionName: nullable(z.string()),
  algorithm: nullable(z.string()),
  requestId: nullable(z.string()),
  clientIp: nullable(z.string()),
  userAgent: nullable(z.string()),
  status: nullable(z.number()),
  errorCode: nullable(z.string()),
  message: nullable(z.string()),
  newKid: nullable(z.string()),
  newFingerprint: nullable(z.string()),
  previousKid: nullable(z.string()),
  durationMs: nullable(z.number()),
  details: nullable(z.record(z.string(), z.json())),
  requestedEventId: nullable(z.number()),
  prevHash: z.string(),
  hash: z.string(),
});

export function verifyExport(text: string, checkpoint?: Checkpoint | null): ExportVerdict {
  let document: unknown;
  try {
    document = parseJsonExactly(text);
  } catch {
    const failed = text.includes('EXPORT FAILED') ? ' (it says the export failed part way)' : '';
    return { ok: false, refused: `The file is not a complete JSON export of the audit trail${failed}.` };
  }
  const parsed = envelope.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      refused: `The file is not a Keyshift audit export (version ${JSON_EXPORT_VERSION}, JSON): ${z.prettifyError(parsed.error)}`,
    };
  }
  if (parsed.data.filtered) {
    const filters = Object.keys(parsed.data.filters).join(', ');
    return {
      ok: false,
      refused:
        `This export is filtered (${filters}), so it leaves out events the chain links through and cannot be ` +
        'verified. Export the whole chain (JSON, no filters: /audit/export?format=json&scope=chain) and verify that.',
    };
  }
  const walk = chainWalk();
  // Exports list the newest first; the chain is walked from the first event.
  for (const [index, raw] of [...parsed.data.events].reverse().entries()) {
    const event = exportedEvent.safeParse(raw);
    if (!event.success) {
      const id = typeof raw.id === 'number' ? `event #${raw.id}` : `the event ${index + 1} from the oldest`;
      return { ok: false, refused: `The export's ${id} is malformed: ${z.prettifyError(event.error)}` };
    }
    const broken = walk.check(event.data as AuditEvent);
    if (broken) {
      const { id, reason } = broken.firstBroken ?? { id: event.data.id, reason: 'broken' };
      return { ok: false, result: broken, refused: `Audit chain BROKEN at event #${id}: ${reason}` };
    }
  }
  const result = walk.result();
  if (checkpoint) {
    const mismatch = checkpointMismatch(parsed.data.events, result, checkpoint);
    if (mismatch) return { ok: false, result, refused: mismatch };
  }
  return { ok: true, result };
}

function checkpointMismatch(events: Record<string, unknown>[], result: VerifyResult, checkpoint: Checkpoint) {
  const anchored = events.find((event) => event.id === checkpoint.id);
  if (!anchored) {
    const head = result.head ? `#${result.head.id}` : 'nothing';
    return checkpoint.id > (result.head?.id ?? 0)
      ? `The export ends at ${head}, before the checkpoint's event #${checkpoint.id} (logged ${checkpoint.at}): ` +
          'events up to the checkpoint were cut off, or the export is older than the checkpoint.'
      : `The export has no event #${checkpoint.id}, which the checkpoint (logged ${checkpoint.at}) anchors: ` +
          'the chain was rewritten since.';
  }
  if (anchored.hash !== checkpoint.hash) {
    return (
      `Event #${checkpoint.id} has hash ${String(anchored.hash)}, but the checkpoint logged ${checkpoint.at} ` +
      `says ${checkpoint.hash}: the chain up to that event was rewritten since.`
    );
  }
  return null;
}
