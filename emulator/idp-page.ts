import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http';
import { JwkRejected, pasteKey } from './idp-keys';
import { escapeHtml, type Page, sendPage } from './oidc/page-shell';
import type { Connection } from './tenant';
import type { TenantStore } from './tenant-store';
import { MAX_PASTED_KEYS, type UpstreamIdp } from './upstream-idp';
import { isKeyCapable, type UpstreamIdps } from './upstream-idps';

const STYLES = `
body{margin:0;padding:32px;background:#f4f5f7;color:#1d1d21;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:880px;margin:0 auto;background:#fff;border:1px solid #d7d8dc;border-radius:6px;padding:32px}
h1{margin:0 0 4px;font-size:22px}h2{margin:28px 0 8px;font-size:17px}
.muted{color:#5a5c66;font-size:14px}
table{width:100%;border-collapse:collapse;font-size:14px}th,td{text-align:left;padding:8px;border-bottom:1px solid #e5e6ea}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
textarea{width:100%;min-height:160px;box-sizing:border-box;font:13px ui-monospace,Menlo,Consolas,monospace;padding:8px;
  border:1px solid #b9bac0;border-radius:4px}
textarea[aria-invalid=true]{border-color:#c4262e}
button{font:inherit;padding:6px 14px;border-radius:4px;border:1px solid #1662dd;background:#1662dd;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1662dd}
button:focus-visible,textarea:focus-visible{outline:3px solid #1d1d21;outline-offset:2px}
.error{color:#a4161e;background:#fdecee;border-left:4px solid #c4262e;padding:8px 12px;margin:8px 0}
.notice{color:#0b5d1e;background:#e9f7ec;border-left:4px solid #2e9e4f;padding:8px 12px;margin:8px 0}
`;

const sha256 = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

function page(title: string, body: string): Page {
  return {
    html: `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLES}</style></head>
<body><main>${body}</main></body></html>`,
    contentSecurityPolicy: `default-src 'none'; style-src ${sha256(STYLES)}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  };
}

interface View {
  notice?: string;
  error?: string;
  pastedText?: string;
}

/** `domain`: the tenant's; the JWKS URL shown is the one an admin configures in the IdP, as Auth0 publishes it. */
function render(connection: Connection, idp: UpstreamIdp, domain: string, view: View): Page {
  const name = escapeHtml(connection.name);
  const jwksUrl = `https://${domain}/oauth/connection/${encodeURIComponent(connection.name)}/.well-known/jwks.json`;
  const base = `/idp/${encodeURIComponent(connection.name)}`;
  const status = `<div role="status" aria-live="polite">${view.notice ? `<p class="notice">${escapeHtml(view.notice)}</p>` : ''}</div>`;
  const rows = idp.pasted
    .map(
      (key) => `<tr><td><code>${escapeHtml(key.jwk.kid)}</code></td><td>${escapeHtml(key.jwk.alg ?? '—')}</td>
<td>${escapeHtml(key.added_at)}</td><td><form method="post" action="${base}/keys/remove">
<input type="hidden" name="kid" value="${escapeHtml(key.jwk.kid)}">
<button type="submit" class="secondary" aria-label="Remove key ${escapeHtml(key.jwk.kid)}">Remove</button></form></td></tr>`,
    )
    .join('\n');
  const keys = idp.pasted.length
    ? `<table><caption class="muted">${idp.pasted.length} of ${MAX_PASTED_KEYS} keys</caption>
<thead><tr><th scope="col">Key ID (kid)</th><th scope="col">Algorithm</th><th scope="col">Added</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${rows}</tbody></table>`
    : idp.mode === 'pasted'
      ? '<p>No keys yet: every client assertion is refused.</p>'
      : '<p>No pasted keys.</p>';
  const mode =
    idp.mode === 'pasted'
      ? '<p class="muted">Client authentication: <strong>Public key / Private key</strong>, keys saved in this app. Sign-ins succeed only with a key listed here.</p>'
      : `<p class="muted">Client authentication: <strong>Public key / Private key</strong>, keys fetched from the JWKS URL <code>${escapeHtml(jwksUrl)}</code> (cached ${idp.cacheSeconds} s${idp.cache ? `, last fetched ${new Date(idp.cache.fetchedAt).toISOString()}: ${Object.keys(idp.cache.keys).map(escapeHtml).join(', ')}` : ', not fetched yet'}). Keys pasted below are not used in this mode.</p>`;
  const error = view.error ? `<p id="jwk-error" class="error">${escapeHtml(view.error)}</p>` : '';
  return page(
    `${connection.name} · IdP admin console`,
    `<h1>IdP admin console: ${name}</h1>
<p class="muted">The simulated identity provider that Auth0's connection <code>${name}</code> (tenant <code>${escapeHtml(domain)}</code>) authenticates to (emulator).</p>
${mode}
${status}
<h2>Trusted public keys</h2>
${keys}
<h2>Add key</h2>
<form method="post" action="${base}/keys">
<label for="jwk">Paste the public key as JWK JSON (or a JWKS with one key)</label>
${error}
<textarea id="jwk" name="jwk" spellcheck="false" required${view.error ? ' aria-invalid="true" aria-describedby="jwk-error"' : ''}>${escapeHtml(view.pastedText ?? '')}</textarea>
<p><button type="submit">Add key</button></p>
</form>`,
  );
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
}

const MESSAGES: Record<string, (kid: string) => string> = {
  added: (kid) => `Key ${kid} added.`,
  removed: (kid) => `Key ${kid} removed.`,
};

/**
 * The IdP's admin console for a connection: `GET /idp/{name}`, `POST /idp/{name}/keys` (form field `jwk`),
 * `POST /idp/{name}/keys/remove` (form field `kid`). Returns false when the path is not one of these.
 */
export async function handleIdpPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  tenant: TenantStore,
  idps: UpstreamIdps,
  now: () => Date,
): Promise<boolean> {
  const match = /^\/idp\/([^/]+)(\/keys(\/remove)?)?$/.exec(url.pathname);
  if (!match) return false;
  const [, rawName = '', keys, remove] = match;
  let connection: Connection | undefined;
  try {
    connection = tenant.connectionByName(decodeURIComponent(rawName));
  } catch {
    connection = undefined;
  }
  const route = `${req.method} ${keys ? (remove ? 'remove' : 'keys') : 'page'}`;
  if (!connection || !isKeyCapable(connection) || !['GET page', 'POST keys', 'POST remove'].includes(route)) {
    sendPage(res, 404, page('Not found', '<h1>Not found</h1><p>No IdP behind a Private Key JWT connection here.</p>'));
    return true;
  }
  const idp = await idps.get(connection);
  const base = `/idp/${encodeURIComponent(connection.name)}`;
  if (route === 'GET page') {
    const [kind, kid] = [...url.searchParams][0] ?? [];
    const notice = kind && kid && MESSAGES[kind] ? MESSAGES[kind](kid) : undefined;
    sendPage(res, 200, render(connection, idp, tenant.domain, { notice }));
    return true;
  }
  const form = (await readBody(req)) as Record<string, unknown>;
  if (route === 'POST keys') {
    const text = typeof form.jwk === 'string' ? form.jwk : '';
    try {
      const key = await pasteKey(idp.pasted, text, now());
      await idps.changed();
      redirect(res, `${base}?added=${encodeURIComponent(key.jwk.kid)}`);
    } catch (error) {
      if (!(error instanceof JwkRejected)) throw error;
      sendPage(res, 400, render(connection, idp, tenant.domain, { error: error.message, pastedText: text }));
    }
    return true;
  }
  const kid = typeof form.kid === 'string' ? form.kid : '';
  const index = idp.pasted.findIndex((key) => key.jwk.kid === kid);
  if (index < 0) {
    sendPage(res, 404, render(connection, idp, tenant.domain, { error: `No trusted key with kid ${kid}.` }));
    return true;
  }
  idp.pasted.splice(index, 1);
  await idps.changed();
  redirect(res, `${base}?removed=${encodeURIComponent(kid)}`);
  return true;
}
