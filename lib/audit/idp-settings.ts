import 'server-only';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { AppendOptions } from './append';
import type { AuditDb } from './database';
import { auditEvents, idpSettings } from './schema';

export type IdpSettingRow = typeof idpSettings.$inferSelect;
export type IdpSettingWrite = Omit<IdpSettingRow, 'updatedAt'>;

/** The stored setting of one connection, or null (its IdP's mode is then unknown). */
export async function readIdpSetting(db: AuditDb, tenant: string, connectionId: string): Promise<IdpSettingRow | null> {
  const [row] = await db
    .select()
    .from(idpSettings)
    .where(and(eq(idpSettings.tenant, tenant), eq(idpSettings.connectionId, connectionId)))
    .limit(1);
  return row ?? null;
}

/**
 * Every connection of the tenant whose IdP's mode someone recorded (`unknown` rows are left out: no row means the
 * same), for the connection list: one query however many connections the tenant has.
 */
export async function readConfiguredIdpSettings(db: AuditDb, tenant: string): Promise<IdpSettingRow[]> {
  return db
    .select()
    .from(idpSettings)
    .where(and(eq(idpSettings.tenant, tenant), ne(idpSettings.mode, 'unknown')));
}

/** Written only alongside its audit event (store.ts `saveIdpSetting`). */
export function writeIdpSetting(row: IdpSettingWrite): NonNullable<AppendOptions['alongside']> {
  return async (tx) => {
    await tx
      .insert(idpSettings)
      .values(row)
      .onConflictDoUpdate({
        target: [idpSettings.tenant, idpSettings.connectionId],
        set: { ...row, updatedAt: sql`now()` },
      });
  };
}

/**
 * When the connection's next key appeared, by Keyshift's trail: the last event that made one (a succeeded rotation or
 * a provisioning, at the database's time; a rotation made outside Keyshift, at its tenant log's date), with the kid it
 * named. Null when the trail has none.
 */
export async function nextKeyAppearance(db: AuditDb, connectionId: string): Promise<NextKeyAppearanceRow | null> {
  const [row] = await db
    .select(APPEARANCE_COLUMNS)
    .from(auditEvents)
    .where(and(eq(auditEvents.connectionId, connectionId), APPEARING))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row ? appearanceOf(row) : null;
}

/**
 * The same for many connections in one query (the latest such event of each, by PostgreSQL's `distinct on`), for the
 * connection list; a connection the trail has nothing for is absent from the map.
 */
export async function nextKeyAppearances(
  db: AuditDb,
  connectionIds: readonly string[],
): Promise<Map<string, NextKeyAppearanceRow>> {
  const found = new Map<string, NextKeyAppearanceRow>();
  if (connectionIds.length === 0) return found;
  const rows = await db
    .selectDistinctOn([auditEvents.connectionId], APPEARANCE_COLUMNS)
    .from(auditEvents)
    .where(and(inArray(auditEvents.connectionId, [...connectionIds]), APPEARING))
    .orderBy(auditEvents.connectionId, desc(auditEvents.id));
  for (const row of rows) {
    const appearance = appearanceOf(row);
    if (row.connectionId && appearance) found.set(row.connectionId, appearance);
  }
  return found;
}

export interface NextKeyAppearanceRow {
  kid: string | null;
  at: Date;
}

const APPEARANCE_COLUMNS = {
  connectionId: auditEvents.connectionId,
  type: auditEvents.type,
  kid: auditEvents.newKid,
  at: auditEvents.occurredAt,
  details: auditEvents.details,
};

const APPEARING = inArray(auditEvents.type, ['rotation.succeeded', 'keys.provisioned', 'rotation.external']);

function appearanceOf(row: {
  type: string;
  kid: string | null;
  at: Date;
  details: Record<string, unknown> | null;
}): NextKeyAppearanceRow | null {
  if (row.type !== 'rotation.external') return { kid: row.kid, at: row.at };
  const logged = typeof row.details?.date === 'string' ? new Date(row.details.date) : null;
  return logged && !Number.isNaN(logged.getTime()) ? { kid: row.kid, at: logged } : null;
}
