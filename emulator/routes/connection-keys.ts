import { apiError, clientIp, readBody } from '../http';
import { connectionKeysView, rotateResponseView } from '../keyring';
import type { Route, RouteContext } from '../router';
import { type Connection, DEFAULT_SIGNING_ALG, isSigningAlg, type SigningAlg } from '../tenant';

const NOT_FOUND = () => apiError(404, 'Connection not found.', 'inexistent_connection');

// errorCode for the 400s below is *unconfirmed*; `operation_not_supported` is the plausible one.
const notSupported = (message: string) => apiError(400, message, 'operation_not_supported');

function requireConnection({ params, services }: RouteContext): Connection {
  const connection = services.tenant.connection(params.id ?? '');
  if (!connection) throw NOT_FOUND();
  return connection;
}

const usesPrivateKeyJwt = ({ options }: Connection) =>
  options.type === 'back_channel' && options.token_endpoint_auth_method === 'private_key_jwt';

/**
 * Only okta/oidc connections using Private Key JWT have keys (AUTH0_API.md). Auth0's reference also says keys
 * can be provisioned *before* switching a connection to Private Key JWT; `keysBeforePrivateKeyJwt` enables
 * that reading for reads and provisioning (rotation always needs Private Key JWT).
 */
function requireKeyCapable(connection: Connection, context: RouteContext, operation: 'read' | 'create' | 'rotate') {
  if (connection.strategy !== 'okta' && connection.strategy !== 'oidc') {
    throw notSupported('Key rotation is not supported on this connection');
  }
  const lenient = operation !== 'rotate' && context.services.options.keysBeforePrivateKeyJwt;
  if (!lenient && !usesPrivateKeyJwt(connection)) {
    throw notSupported('Connection is not configured to use JWT Client Authentication');
  }
}

/** `{signing_alg?}`; Auth0's schema allows null and forbids other properties. */
function parseSigningAlg(body: unknown): SigningAlg {
  if (body === null) return DEFAULT_SIGNING_ALG;
  if (typeof body !== 'object' || Array.isArray(body)) {
    const type = Array.isArray(body) ? 'array' : typeof body;
    throw apiError(400, `Payload validation error: 'Expected type object but found type ${type}'.`, 'invalid_body');
  }
  const extra = Object.keys(body).filter((key) => key !== 'signing_alg');
  if (extra.length > 0) {
    throw apiError(
      400,
      `Payload validation error: 'Additional properties not allowed: ${extra.join(',')}'.`,
      'invalid_body',
    );
  }
  const alg = (body as { signing_alg?: unknown }).signing_alg;
  if (alg === undefined) return DEFAULT_SIGNING_ALG;
  if (!isSigningAlg(alg)) {
    throw apiError(
      400,
      `Payload validation error: 'No enum match for: ${JSON.stringify(alg)}' on property signing_alg (Selected Signing Algorithm).`,
      'invalid_body',
    );
  }
  return alg;
}

/** Every key operation the tenant performs is logged (`sapi`), whoever asked. */
async function recordOperation(
  context: RouteContext,
  description: string,
  requestBody: unknown,
  reply: { status: number; body: unknown },
) {
  const { req, url, services, token } = context;
  const clientId = token?.clientId ?? '';
  services.tenant.logs.append({
    type: 'sapi',
    description,
    client_id: clientId,
    client_name: services.clients.get(clientId)?.name,
    ip: clientIp(req),
    user_agent: req.headers['user-agent'] ?? '',
    details: {
      request: {
        method: 'post',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: requestBody,
        channel: 'api',
        ip: clientIp(req),
        auth: { user: {}, strategy: 'jwt', credentials: { jti: token?.jti, scopes: token?.scopes ?? [] } },
      },
      response: { statusCode: reply.status, body: reply.body },
    },
  });
  await services.tenant.changed();
}

export const getKeysRoute: Route = {
  method: 'GET',
  template: '/api/v2/connections/{id}/keys',
  scopes: ['read:connections_keys'],
  async handle(context) {
    const connection = requireConnection(context);
    requireKeyCapable(connection, context, 'read');
    // A key-capable connection that was never provisioned has no keys: an empty list (*unconfirmed*).
    return { status: 200, body: connectionKeysView(await context.services.tenant.keyRing(connection.id)) };
  },
};

export const createKeysRoute: Route = {
  method: 'POST',
  template: '/api/v2/connections/{id}/keys',
  scopes: ['create:connections_keys'],
  async handle(context) {
    const body = await readBody(context.req);
    const alg = parseSigningAlg(body);
    const connection = requireConnection(context);
    requireKeyCapable(connection, context, 'create');
    const ring = await context.services.tenant.provision(connection.id, alg);
    const reply = { status: 201, body: connectionKeysView(ring) };
    await recordOperation(context, 'Create connection keys', body, reply);
    return reply;
  },
};

export const rotateKeysRoute: Route = {
  method: 'POST',
  template: '/api/v2/connections/{id}/keys/rotate',
  scopes: ['create:connections_keys', 'update:connections_keys'],
  async handle(context) {
    const body = await readBody(context.req);
    const alg = parseSigningAlg(body);
    const connection = requireConnection(context);
    requireKeyCapable(connection, context, 'rotate');
    const rotated = await context.services.tenant.rotate(connection.id, alg);
    // Rotating before provisioning: nothing to rotate. Status and wording are *unconfirmed*.
    if (!rotated) throw notSupported('Keys have not been created for this connection.');
    context.services.calls.rotated(connection.id);
    const reply = { status: 201, body: rotateResponseView(rotated.created) };
    await recordOperation(context, 'Rotate connection keys', body, reply);
    return reply;
  },
};
