import type { DemoUser } from './demo-users';
import { escapeHtml, type Page, renderPage, TENANT_LOGO } from './page-shell';

export const TENANT_NAME = 'demo-tenant';
export const WRONG_CREDENTIALS = 'Wrong email or password.';

const tenantHeader = `<div class="tenant">${TENANT_LOGO}<span>${TENANT_NAME}</span></div>`;

const card = (content: string) => `<main class="card">
${tenantHeader}
${content}
</main>`;

/** `rotator` → "rotator" (every tenant), `rotator:dev` → "rotator in dev". */
function describeRoles(user: DemoUser): string {
  if (user.roles.length === 0) return 'no role';
  return user.roles.map((role) => role.replace(/^([^:]+):(.+)$/, '$1 in $2')).join(', ');
}

export interface LoginPageInput {
  /** Where the form posts; must stay under /interaction/<uid>, the path oidc-provider scopes its cookie to. */
  action: string;
  appName: string;
  email?: string;
  error?: string;
  users: readonly DemoUser[];
  password: string;
}

export function loginPage({ action, appName, email = '', error, users, password }: LoginPageInput): Page {
  const invalid = error === undefined ? '' : ' aria-invalid="true" aria-describedby="login-error"';
  const alert =
    error === undefined ? '' : `<div class="error" id="login-error" role="alert">${escapeHtml(error)}</div>`;
  // After an error the email is kept, so focus goes where the person needs to type next.
  const focusEmail = email === '' ? ' autofocus' : '';
  const focusPassword = email === '' ? '' : ' autofocus';
  const hints = users
    .map((user) => `<li><code>${escapeHtml(user.email)}</code> — ${escapeHtml(describeRoles(user))}</li>`)
    .join('\n');
  const body = card(`<h1>Welcome</h1>
<p class="subtitle">Log in to ${escapeHtml(appName)} to continue.</p>
${alert}
<form method="post" action="${escapeHtml(action)}">
<div class="field">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"${invalid}${focusEmail}>
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${focusPassword}>
</div>
<button type="submit">Continue</button>
</form>
<aside class="hint" aria-labelledby="demo-accounts">
<h2 id="demo-accounts">Demo accounts</h2>
<ul>
${hints}
</ul>
<p>Password for all: <code>${escapeHtml(password)}</code></p>
</aside>`);
  return renderPage({ title: `Log in | ${appName}`, body });
}

/**
 * oidc-provider asks for a confirmation page before ending the session. The operator already chose "Sign out"
 * in the app, so this page confirms by itself ("logout=yes" ends the whole session, not just this app's grant);
 * the button is only for browsers without JavaScript.
 */
export function logoutPage(providerForm: string): Page {
  const extras = `<input type="hidden" name="logout" value="yes"/><noscript><button type="submit">Continue</button></noscript>`;
  const form = providerForm.replace('</form>', `${extras}</form>`);
  const body = card(`<h1>Signing you out…</h1>
<p class="subtitle" role="status">You will be returned to the app in a moment.</p>
${form}`);
  const script = "document.addEventListener('DOMContentLoaded',function(){document.forms[0].submit()});";
  return renderPage({ title: 'Signing out', body, script });
}

export function signedOutPage(appName: string | undefined): Page {
  const where = appName === undefined ? '' : ` of ${escapeHtml(appName)}`;
  const body = card(`<h1>Signed out</h1>
<p class="subtitle" role="status">You have been signed out${where}. You can close this window.</p>`);
  return renderPage({ title: 'Signed out', body });
}

export interface ErrorPageInput {
  heading: string;
  message: string;
  /** Technical detail (the OAuth error code and description), shown small below the message. */
  details?: string;
}

export function errorPage({ heading, message, details }: ErrorPageInput): Page {
  const detailBlock = details === undefined ? '' : `<p class="details">${escapeHtml(details)}</p>`;
  const body = card(`<h1>${escapeHtml(heading)}</h1>
<p class="subtitle">${escapeHtml(message)}</p>
${detailBlock}`);
  return renderPage({ title: heading, body });
}
