import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type Interaction, type Provider } from 'oidc-provider';
import { authenticate, DEMO_PASSWORD, type DemoUser } from './demo-users';
import { sendPage } from './page-shell';
import { errorPage, loginPage, WRONG_CREDENTIALS } from './pages';

const MAX_FORM_BYTES = 16 * 1024;

export const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)\/?$/;

class RequestTooLarge extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new RequestTooLarge();
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Our own client is first-party, so the consent Auth0 would skip is granted here instead of shown: every
 * requested OIDC scope (and anything the consent prompt reports missing) goes into the grant.
 */
async function grantRequested(provider: Provider, details: Interaction, accountId: string): Promise<string> {
  const clientId = String(details.params.client_id);
  const existing = details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
  const scopes = [details.params.scope ?? '', ...(missingOIDCScope ?? [])].join(' ').trim();
  if (scopes) grant.addOIDCScope(scopes);
  if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, resourceScopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, resourceScopes.join(' '));
  }
  return grant.save();
}

export interface InteractionDeps {
  provider: Provider;
  users: readonly DemoUser[];
  appNameFor(clientId: string): string;
}

/** Serves GET and POST /interaction/<uid>: the login form, and silent consent for an already signed-in user. */
export function createInteractionHandler({ provider, users, appNameFor }: InteractionDeps) {
  const renderLogin = (res: ServerResponse, details: Interaction, input: { email?: string; error?: string }) => {
    const appName = appNameFor(String(details.params.client_id));
    const action = `/interaction/${encodeURIComponent(details.uid)}`;
    const page = loginPage({ action, appName, users, password: DEMO_PASSWORD, ...input });
    sendPage(res, 200, page);
  };

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      sendPage(res, 405, errorPage({ heading: 'Method not allowed', message: 'Use the login form.' }));
      return;
    }

    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      const message = 'Your login session has expired. Go back to the app and sign in again.';
      sendPage(res, 400, errorPage({ heading: 'Session expired', message }));
      return;
    }
    // The cookie names the interaction; a different uid in the URL means a stale tab or a forged link.
    if (details.uid !== uid) {
      const message = 'This login link does not match your login session. Go back to the app and sign in again.';
      sendPage(res, 400, errorPage({ heading: 'Session mismatch', message }));
      return;
    }

    if (details.prompt.name === 'consent' && details.session) {
      const grantId = await grantRequested(provider, details, details.session.accountId);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    if (details.prompt.name !== 'login') {
      sendPage(res, 400, errorPage({ heading: 'Unsupported request', message: 'This sign-in step is not supported.' }));
      return;
    }

    if (req.method === 'GET') {
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      renderLogin(res, details, { email: hint });
      return;
    }

    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (error) {
      if (!(error instanceof RequestTooLarge)) throw error;
      sendPage(res, 413, errorPage({ heading: 'Request too large', message: 'The login form was too large.' }));
      return;
    }
    const email = form.get('email') ?? '';
    const user = authenticate(email, form.get('password') ?? '');
    if (!user) {
      renderLogin(res, details, { email, error: WRONG_CREDENTIALS });
      return;
    }

    const grantId = await grantRequested(provider, { ...details, grantId: undefined }, user.sub);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub, amr: ['pwd'], remember: true }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };
}
