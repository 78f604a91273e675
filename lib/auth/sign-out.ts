import 'server-only';
import { config } from '@/lib/config';

let endSessionEndpoint: Promise<string | null> | undefined;

/** The issuer's RP-initiated logout endpoint, from its discovery document; null when it has none. */
function discoverEndSession(): Promise<string | null> {
  endSessionEndpoint ??= (async () => {
    const issuer = config().auth.issuer.replace(/\/+$/, '');
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
      const document = (await response.json()) as { end_session_endpoint?: unknown };
      return typeof document.end_session_endpoint === 'string' ? document.end_session_endpoint : null;
    } catch {
      endSessionEndpoint = undefined;
      return null;
    }
  })();
  return endSessionEndpoint;
}

/** Where to send the browser after the local session is gone, so the issuer's session ends too. */
export async function federatedLogoutUrl(idToken: string | undefined): Promise<string> {
  const { auth, nextAuth } = config();
  const signedOut = `${nextAuth.url.replace(/\/+$/, '')}/signed-out`;
  const endpoint = await discoverEndSession();
  if (!endpoint) return signedOut;
  const url = new URL(endpoint);
  url.searchParams.set('client_id', auth.clientId);
  url.searchParams.set('post_logout_redirect_uri', signedOut);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  return url.toString();
}
