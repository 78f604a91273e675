import 'server-only';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
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
export async function nextKeyAppearance(
  db: AuditDb,
  connectionId: string,
): Promise<{ kid: string | null; at: Date } | null> {
  const [row] = await db
    .select({
      type: auditEvents.type,
      kid: auditEvents.newKid,
      at: auditEvents.occurredAt,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.connectionId, connectionId),
        inArray(auditEvents.type, ['rotation.succeeded', 'keys.provisioned', 'rotation.external']),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(1);
  if (!row) return null;
  if (row.type !== 'rotation.external') return { kid: row.kid, at: row.at };
  const logged = typeof row.details?.date === 'string' ? new Date(row.details.date) : null;
  return logged && !Number.isNaN(logged.getTime()) ? { kid: row.kid, at: logged } : null;
}
