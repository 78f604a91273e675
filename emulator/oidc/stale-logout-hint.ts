import type { IncomingMessage } from 'node:http';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';

const END_SESSION_PATH = '/session/end';

/**
 * The signing key changes with every emulator process, but the app's session cookie (and the ID token inside it)
 * survives a restart. oidc-provider would then answer the logout with an error page because it cannot verify
 * the id_token_hint. Such a hint names a session that died with the old process, so it is dropped and the
 * logout proceeds on `client_id` alone, as the app always sends it too. Hints this issuer signed pass untouched,
 * expired or not.
 */
export function createStaleLogoutHintFilter(publicKeys: JSONWebKeySet): (req: IncomingMessage) => Promise<void> {
  const keys = createLocalJWKSet(publicKeys);
  return async (req) => {
    if (req.method !== 'GET' || !req.url?.startsWith(END_SESSION_PATH)) return;
    const url = new URL(req.url, 'http://issuer.invalid');
    const hint = url.searchParams.get('id_token_hint');
    if (url.pathname !== END_SESSION_PATH || hint === null) return;
    try {
      await compactVerify(hint, keys);
    } catch {
      url.searchParams.delete('id_token_hint');
      req.url = `${url.pathname}${url.search}`;
    }
  };
}
