import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { TokenSigningKey } from './access-tokens';
import type { TenantSnapshot } from './tenant-store';
import type { UpstreamIdp } from './upstream-idp';

/** What survives a restart: key rings, the log, the upstream IdPs, and the token key (so cached access tokens stay valid). */
export interface PersistedState extends TenantSnapshot {
  version: 1;
  tokenSigningKey: TokenSigningKey;
  /** The simulated upstream IdPs by connection id (absent in files written before they existed). */
  idps?: Record<string, UpstreamIdp>;
}

// Shallow on purpose: the file is the emulator's own output; this catches a wrong or truncated file early.
const persistedStateSchema = z.object({
  version: z.literal(1),
  tokenSigningKey: z.object({
    material: z.object({ kid: z.string() }).passthrough(),
    privateJwk: z.object({}).passthrough(),
  }),
  keyRings: z.record(
    z.string(),
    z.object({ current: z.object({}).passthrough(), next: z.object({}).passthrough() }).passthrough(),
  ),
  logs: z.array(z.object({ log_id: z.string() }).passthrough()),
  logSequence: z.number().int().min(0),
  idps: z
    .record(
      z.string(),
      z.object({ mode: z.enum(['jwks_url', 'pasted']), pasted: z.array(z.object({}).passthrough()) }).passthrough(),
    )
    .optional(),
});

export function readStateFile(path: string): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = persistedStateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not an emulator state file: ${parsed.error.message}`);
  return parsed.data as unknown as PersistedState;
}

/** Writes are chained and atomic (temp file + rename), so a crash never leaves half a file behind. */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly collect: () => PersistedState,
  ) {}

  save(): Promise<void> {
    const write = async () => {
      const temp = `${this.path}.${process.pid}.tmp`;
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temp, JSON.stringify(this.collect()), 'utf8');
      await rename(temp, this.path);
    };
    this.chain = this.chain.then(write, write);
    return this.chain;
  }
}
