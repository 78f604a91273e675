import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { apiError, type Reply, readBody } from './http';
import { JwkRejected, pasteKey } from './idp-keys';
import type { Connection } from './tenant';
import type { TenantStore } from './tenant-store';
import type { UpstreamIdp } from './upstream-idp';
import type { UpstreamIdps } from './upstream-idps';

const settingsSchema = z.strictObject({
  mode: z.enum(['jwks_url', 'pasted']).optional(),
  cache_seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
  unknown_kid_refetch_seconds: z.number().int().min(0).nullable().optional(),
  sign_ins_per_minute: z.number().min(0).max(600).optional(),
});
const signInsSchema = z.strictObject({ count: z.number().int().min(1).max(1000).default(1) });
const pasteSchema = z.strictObject({ jwk: z.union([z.string(), z.record(z.string(), z.unknown())]) });

export const IDP_ENDPOINTS = [
  'GET /__emulator/idps/{name}',
  'PUT /__emulator/idps/{name}',
  'POST /__emulator/idps/{name}/keys',
  'DELETE /__emulator/idps/{name}/keys/{kid}',
  'POST /__emulator/idps/{name}/sign-ins',
];

/** What the admin API (and the tests) see of an IdP. */
export function idpView(connection: Connection, idp: UpstreamIdp) {
  return {
    connection: connection.name,
    connection_id: connection.id,
    mode: idp.mode,
    cache_seconds: idp.cacheSeconds,
    unknown_kid_refetch_seconds: idp.unknownKidRefetchSeconds,
    sign_ins_per_minute: idp.signInsPerMinute,
    trusted_keys: idp.pasted.map((key) => ({ kid: key.jwk.kid, alg: key.jwk.alg ?? null, added_at: key.added_at })),
    cached_jwks: idp.cache
      ? { fetched_at: new Date(idp.cache.fetchedAt).toISOString(), kids: Object.keys(idp.cache.keys) }
      : null,
  };
}

async function parse<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readBody(req));
  if (!result.success) throw apiError(400, z.prettifyError(result.error), 'invalid_body');
  return result.data;
}

/** `/__emulator/idps/{name}[/keys[/{kid}]|/sign-ins]`; undefined when the path is not one of these. */
export async function handleIdpAdmin(
  req: IncomingMessage,
  path: string,
  tenant: TenantStore,
  idps: UpstreamIdps,
  now: () => Date,
): Promise<Reply | undefined> {
  const match = /^\/__emulator\/idps\/([^/]+)(?:\/(keys|sign-ins))?(?:\/([^/]+))?$/.exec(path);
  if (!match) return undefined;
  const [, rawName = '', sub, rawKid] = match;
  const connection = tenant.connectionByName(decodeURIComponent(rawName));
  if (!connection) throw apiError(404, `No connection named ${decodeURIComponent(rawName)}`);
  const idp = await idps.get(connection);
  const route = `${req.method} ${sub ?? ''}${rawKid === undefined ? '' : '/{kid}'}`;
  switch (route) {
    case 'GET ':
      return { status: 200, body: idpView(connection, idp) };
    case 'PUT ': {
      const settings = await parse(req, settingsSchema);
      if (settings.mode && settings.mode !== idp.mode) {
        idp.mode = settings.mode;
        delete idp.cache;
      }
      if (settings.cache_seconds !== undefined) idp.cacheSeconds = settings.cache_seconds;
      if (settings.unknown_kid_refetch_seconds !== undefined) {
        idp.unknownKidRefetchSeconds = settings.unknown_kid_refetch_seconds;
      }
      if (settings.sign_ins_per_minute !== undefined) idp.signInsPerMinute = settings.sign_ins_per_minute;
      await idps.changed();
      return { status: 200, body: idpView(connection, idp) };
    }
    case 'POST keys': {
      const { jwk } = await parse(req, pasteSchema);
      try {
        await pasteKey(idp.pasted, typeof jwk === 'string' ? jwk : JSON.stringify(jwk), now());
      } catch (error) {
        if (error instanceof JwkRejected) throw apiError(400, error.message, 'invalid_key');
        throw error;
      }
      await idps.changed();
      return { status: 201, body: idpView(connection, idp) };
    }
    case 'DELETE keys/{kid}': {
      const kid = decodeURIComponent(rawKid ?? '');
      const index = idp.pasted.findIndex((key) => key.jwk.kid === kid);
      if (index < 0) throw apiError(404, `No trusted key with kid ${kid}`);
      idp.pasted.splice(index, 1);
      await idps.changed();
      return { status: 204 };
    }
    case 'POST sign-ins': {
      const { count } = await parse(req, signInsSchema);
      const events = [];
      for (let i = 0; i < count; i++) events.push(await idps.signIn(connection));
      return {
        status: 200,
        body: { events: events.map(({ log_id, type, description, date }) => ({ log_id, type, description, date })) },
      };
    }
    default:
      return {
        status: 404,
        body: { statusCode: 404, error: 'Not Found', message: 'Unknown emulator endpoint', endpoints: IDP_ENDPOINTS },
      };
  }
}
