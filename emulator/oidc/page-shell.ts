import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';

export interface Page {
  html: string;
  /** Allows exactly this page's inline style and script, nothing else: the pages need no network at all. */
  contentSecurityPolicy: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

// Modelled on Auth0's New Universal Login: grey backdrop, centred white card, purple primary button.
const STYLES = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px;
  background:#f2f3f5;color:#1e212a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
.card{width:100%;max-width:400px;background:#fff;border-radius:5px;box-shadow:0 12px 40px rgba(0,0,0,.12);
  padding:40px;text-align:center}
.tenant{display:flex;flex-direction:column;align-items:center;gap:8px;margin-bottom:24px;color:#65676e;font-size:14px}
.tenant svg{width:52px;height:52px}
h1{margin:0 0 8px;font-size:24px;font-weight:400}
.subtitle{margin:0 0 24px;font-size:14px;color:#1e212a}
form{text-align:left}
.field{margin-bottom:16px}
label{display:block;margin-bottom:4px;font-size:14px;color:#1e212a}
input[type=email],input[type=password]{width:100%;height:52px;padding:0 16px;font:inherit;color:inherit;
  border:1px solid #c9cace;border-radius:3px;background:#fff}
input:focus{outline:none;border-color:#635dff;box-shadow:0 0 0 1px #635dff}
input[aria-invalid=true]{border-color:#d03c38}
button{width:100%;height:52px;margin-top:8px;font:inherit;font-weight:500;color:#fff;background:#635dff;border:0;
  border-radius:3px;cursor:pointer}
button:hover{background:#4b45d6}
button:focus-visible,a:focus-visible{outline:3px solid #1e212a;outline-offset:2px}
.error{margin-bottom:16px;padding:12px 16px;text-align:left;font-size:14px;color:#b3261e;
  background:#fdecea;border-left:4px solid #d03c38;border-radius:3px}
.hint{margin-top:24px;padding:12px 16px;text-align:left;font-size:13px;color:#424550;background:#f7f7fb;
  border:1px dashed #c9cace;border-radius:3px}
.hint h2{margin:0 0 6px;font-size:13px;font-weight:600}
.hint ul{margin:0;padding-left:18px}
.hint code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.details{margin:16px 0 0;text-align:left;font-size:13px;color:#65676e;word-break:break-word}
`;

/** A neutral shield standing in for the tenant logo; inline so the page loads nothing from the network. */
export const TENANT_LOGO = `<svg viewBox="0 0 52 52" aria-hidden="true" focusable="false">
<path fill="#635dff" d="M26 3 6 11v13c0 12.4 8.5 22.6 20 25 11.5-2.4 20-12.6 20-25V11L26 3z"/>
<path fill="#fff" d="M26 15l3.1 7.3 7.9.7-6 5.2 1.8 7.8L26 31.9 19.2 36l1.8-7.8-6-5.2 7.9-.7L26 15z"/></svg>`;

const sha256Source = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

export function renderPage({ title, body, script }: { title: string; body: string; script?: string }): Page {
  const scriptTag = script === undefined ? '' : `<script>${script}</script>`;
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLES}</style>
${scriptTag}
</head>
<body>
${body}
</body>
</html>`;
  const scriptSrc = script === undefined ? "'none'" : sha256Source(script);
  const contentSecurityPolicy = [
    "default-src 'none'",
    `style-src ${sha256Source(STYLES)}`,
    `script-src ${scriptSrc}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    // No form-action: Chromium applies it to the redirects after the POST, which lead to the app's origin.
  ].join('; ');
  return { html, contentSecurityPolicy };
}

const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function sendPage(res: ServerResponse, status: number, page: Page): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', page.contentSecurityPolicy);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.end(page.html);
}

/** The same as sendPage for pages that oidc-provider asks us to render inside its own (Koa) request. */
export function assignPage(ctx: KoaContextWithOIDC, page: Page): void {
  ctx.type = 'html';
  ctx.set('content-security-policy', page.contentSecurityPolicy);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) ctx.set(name, value);
  ctx.body = page.html;
}
