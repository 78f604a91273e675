// Helpers for the OIDC issuer tests: a real node:http server and a browser-like client built on raw fetch,
// so the tests see every redirect and cookie exactly as a browser (or next-auth) would.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createOidcIssuer,
  DASHBOARD_CLIENT_ID,
  DASHBOARD_CLIENT_SECRET,
  type OidcIssuer,
  type OidcIssuerOptions,
} from './index';

export const APP_CALLBACK = 'http://127.0.0.1:3000/api/auth/callback/auth0';
export const APP_SIGNED_OUT = 'http://127.0.0.1:3000/signed-out';

export interface RunningIssuer {
  issuer: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startIssuer(options: Omit<OidcIssuerOptions, 'issuer'> = {}): Promise<RunningIssuer> {
  const logs: string[] = [];
  let handle: OidcIssuer['handle'] | undefined;
  // The issuer URL contains the port, which is only known after listen(), so the handler is attached late.
  const server: Server = createServer((req, res) => (handle ? handle(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const oidc = await createOidcIssuer({ issuer, log: (line) => logs.push(line), ...options });
  handle = oidc.handle;
  return {
    issuer,
    logs,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

interface StoredCookie {
  value: string;
  path: string;
}

/** Enough of a browser cookie store for one host: honours Path and deletion, ignores everything else. */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const attribute = (key: string) =>
        attributes.find((item) => item.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attribute('path') ?? '/';
      const expires = attribute('expires');
      const expired = attribute('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (expired || value === '') this.#cookies.delete(`${path} ${name}`);
      else this.#cookies.set(`${path} ${name}`, { value, path });
    }
  }

  headerFor(url: string): string {
    const { pathname } = new URL(url);
    return [...this.#cookies.entries()]
      .filter(([, cookie]) => pathname === cookie.path || pathname.startsWith(cookie.path.replace(/\/?$/, '/')))
      .map(([key, cookie]) => `${key.slice(key.indexOf(' ') + 1)}=${cookie.value}`)
      .join('; ');
  }
}

/** One fetch without following redirects, sending and storing cookies like a browser would. */
export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.headerFor(url);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

export function postForm(jar: CookieJar, url: string, fields: Record<string, string>): Promise<Response> {
  return browse(jar, url, { method: 'POST', body: new URLSearchParams(fields) });
}

export function locationOf(response: Response, base: string): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location, base).href;
}

/** Follows redirects while they stay on the issuer; returns the first response that does not redirect there. */
export async function followOnIssuer(
  jar: CookieJar,
  issuer: string,
  response: Response,
): Promise<{ url?: string; response: Response }> {
  let current = response;
  for (let hops = 0; hops < 10; hops += 1) {
    if (current.status < 300 || current.status >= 400) return { response: current };
    const next = locationOf(current, issuer);
    if (!next.startsWith(`${issuer}/`)) return { url: next, response: current };
    current = await browse(jar, next);
  }
  throw new Error('too many redirects');
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  state: string;
  challenge?: string;
  nonce?: string;
  redirectUri?: string;
  scope?: string;
}

export function authorizeUrl(
  issuer: string,
  { state, challenge, nonce, redirectUri = APP_CALLBACK, scope = 'openid profile email' }: AuthorizeParams,
) {
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: DASHBOARD_CLIENT_ID,
    response_type: 'code',
    scope,
    redirect_uri: redirectUri,
    state,
    ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' } : {}),
    ...(nonce ? { nonce } : {}),
  }).toString();
  return url.href;
}

/** Pulls the first form's action and every named input out of a page, as a browser submitting it would. */
export function readForm(html: string, base: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*\saction="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('no form on the page');
  const fields: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\sname="([^"]*)"/.exec(tag)?.[1];
    if (name) fields[name] = /\svalue="([^"]*)"/.exec(tag)?.[1] ?? '';
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), base).href, fields };
}

export async function exchangeCode(issuer: string, fields: Record<string, string>, secret = DASHBOARD_CLIENT_SECRET) {
  const basic = Buffer.from(`${DASHBOARD_CLIENT_ID}:${secret}`).toString('base64');
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: APP_CALLBACK, ...fields }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface SignedIn {
  jar: CookieJar;
  /** Where the issuer finally sent the browser: the app's callback with code and state. */
  callback: URL;
  verifier: string;
}

/** The browser half of a sign-in: /auth, the login form, the password, and the redirects back to the app. */
export async function signIn(
  issuer: string,
  {
    email,
    password,
    state = 'state-1',
    nonce,
    scope,
  }: { email: string; password: string; state?: string; nonce?: string; scope?: string },
): Promise<SignedIn> {
  const jar = new CookieJar();
  const { verifier, challenge } = pkcePair();
  const start = await browse(jar, authorizeUrl(issuer, { state, challenge, nonce, scope }));
  const { response: loginForm } = await followOnIssuer(jar, issuer, start);
  const { action } = readForm(await loginForm.text(), issuer);
  const submitted = await postForm(jar, action, { email, password });
  const { url } = await followOnIssuer(jar, issuer, submitted);
  if (!url) throw new Error(`sign-in did not redirect back to the app (status ${submitted.status})`);
  return { jar, callback: new URL(url), verifier };
}
