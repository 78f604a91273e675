import 'server-only';
import { z } from 'zod';
import type { AuditStore } from './store';

/**
 * Anchors of the chain outside the database. A chain proves that nothing in it was edited or removed, but not that
 * its newest events were not cut off or the whole tail rewritten by someone who can write the database: for that, a
 * copy of a head (id, hash) must exist elsewhere. The server logs one JSON line with the head every `every` appends
 * it makes and when it shuts down; log shipping keeps them. `npm run audit:verify -- --checkpoint '<line>'` proves a
 * chain still reaches that head unchanged.
 */
export const CHECKPOINT_KIND = 'audit-checkpoint';
export const DEFAULT_CHECKPOINT_EVERY = 100;

export interface ChainHead {
  id: number;
  hash: string;
}

const checkpointSchema = z.object({
  keyshift: z.literal(CHECKPOINT_KIND),
  id: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export function checkpointLine(head: ChainHead, at: Date): string {
  return JSON.stringify({ keyshift: CHECKPOINT_KIND, id: head.id, hash: head.hash, at: at.toISOString() });
}

/** A checkpoint from a log line (anything before the JSON, a log shipper's prefix, is ignored); null if none. */
export function parseCheckpoint(text: string): Checkpoint | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  try {
    const parsed = checkpointSchema.safeParse(JSON.parse(text.slice(start).trim()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface Checkpoints {
  /** Called with every event this process appended; logs a checkpoint every `every` of them. */
  appended(head: ChainHead): void;
  /** The head as read from the database, when this process opened it. */
  seed(head: ChainHead | null): void;
  /** Logs the newest head this process knows, now and synchronously (a signal handler cannot wait). */
  logNow(): void;
}

export function createCheckpoints(options: {
  every: number;
  log: (line: string) => void;
  now: () => Date;
}): Checkpoints {
  let count = 0;
  let newest: ChainHead | null = null;
  const log = (head: ChainHead) => options.log(checkpointLine(head, options.now()));
  return {
    appended(head) {
      if (!newest || head.id > newest.id) newest = { id: head.id, hash: head.hash };
      count += 1;
      if (count % options.every === 0) log(head);
    },
    seed(head) {
      if (head && (!newest || head.id > newest.id)) newest = { id: head.id, hash: head.hash };
    },
    logNow() {
      if (newest) log(newest);
    },
  };
}

/** The store, each append reported to `checkpoints`; the chain's head at this moment seeds them. */
export async function withCheckpoints(store: AuditStore, checkpoints: Checkpoints): Promise<AuditStore> {
  const [head] = (await store.list({ limit: 1 })).events;
  checkpoints.seed(head ?? null);
  return {
    ...store,
    async append(input) {
      const event = await store.append(input);
      checkpoints.appended(event);
      return event;
    },
    async saveIdpSetting(input, row) {
      const event = await store.saveIdpSetting(input, row);
      checkpoints.appended(event);
      return event;
    },
    async createHandoffLink(input, row) {
      const event = await store.createHandoffLink(input, row);
      checkpoints.appended(event);
      return event;
    },
    async revokeHandoffLink(input, link, by) {
      const event = await store.revokeHandoffLink(input, link, by);
      checkpoints.appended(event);
      return event;
    },
    async startCampaign(input, campaign, items) {
      const event = await store.startCampaign(input, campaign, items);
      checkpoints.appended(event);
      return event;
    },
    async changeCampaignState(input, id, from, to) {
      const event = await store.changeCampaignState(input, id, from, to);
      checkpoints.appended(event);
      return event;
    },
  };
}

type SignalTarget = Pick<NodeJS.Process, 'once' | 'listenerCount' | 'kill' | 'pid'>;

/**
 * On SIGTERM and SIGINT, logs the head once. Next.js registers its own handlers for a graceful stop (and exits in
 * them); this one runs beside them, synchronously, so the line is written before that exit. Where it is the only
 * handler (no Next.js), it re-raises the signal so the process still stops as it would have without it.
 */
export function logCheckpointOnShutdown(checkpoints: Checkpoints, target: SignalTarget = process): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    target.once(signal, () => {
      checkpoints.logNow();
      if (target.listenerCount(signal) === 0) target.kill(target.pid, signal);
    });
  }
}
