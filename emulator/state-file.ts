import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { TokenSigningKey } from './access-tokens';
import { TENANT_DOMAIN } from './tenant';
import type { TenantSnapshot } from './tenant-store';
import type { UpstreamIdp } from './upstream-idp';

/** What survives a restart: key rings, the log, the upstream IdPs, and the token key (so cached access tokens stay valid). */
export interface PersistedState extends TenantSnapshot {
  version: 1;
  /** The tenant the file belongs to (absent in files written before several tenants existed: the primary's). */
  domain?: string;
  tokenSigningKey: TokenSigningKey;
  /** The simulated upstream IdPs by connection id (absent in files written before they existed). */
  idps?: Record<string, UpstreamIdp>;
}

// Shallow on purpose: the file is the emulator's own output; this catches a wrong or truncated file early.
const persistedStateSchema = z.object({
  version: z.literal(1),
  domain: z.string().optional(),
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

/** Refuses a file another tenant wrote: its keys, logs and token key are not this tenant's. */
export function readStateFile(path: string, domain: string): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = persistedStateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not an emulator state file: ${parsed.error.message}`);
  const owner = parsed.data.domain ?? TENANT_DOMAIN;
  if (owner !== domain) throw new Error(`${path} holds the state of tenant ${owner}, not ${domain}`);
  return parsed.data as unknown as PersistedState;
}

/**
 * An extra tenant's state file beside the primary's: `data/emulator-state.json` → `data/emulator-state.<domain>.json`.
 */
export function extraTenantStateFile(primary: string, domain: string): string {
  return primary.endsWith('.json') ? `${primary.slice(0, -'.json'.length)}.${domain}.json` : `${primary}.${domain}`;
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
