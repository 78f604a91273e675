import 'server-only';
import { ManagementError, ManagementTimeoutError } from 'auth0';

export type Auth0ErrorCode =
  | 'auth0:bad_request'
  | 'auth0:unauthorized'
  | 'auth0:invalid_credentials'
  | 'auth0:forbidden'
  | 'auth0:not_found'
  | 'auth0:conflict'
  | 'auth0:rate_limited'
  | 'auth0:timeout'
  | 'auth0:unreachable'
  | 'auth0:token_unavailable'
  | 'auth0:upstream';

/**
 * An Auth0 failure in Keyshift's terms: a stable code, a sentence an operator can act on, and whether the request
 * may have had an effect upstream (`ambiguous`), which decides whether a rotation must be settled by reading back.
 */
export class Auth0Error extends Error {
  constructor(
    readonly code: Auth0ErrorCode,
    message: string,
    readonly details: {
      status?: number;
      auth0Message?: string;
      errorCode?: string;
      retryAt?: Date;
      missingScopes?: string[];
      ambiguous?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'Auth0Error';
  }
}

/**
 * The client-credentials exchange failed, so no Management API request was sent: whatever the cause, nothing can
 * have happened upstream. lib/auth0/client.ts wraps the token provider's failures in it.
 */
export class ManagementTokenError extends Error {
  constructor(readonly reason: unknown) {
    super('Management API token request failed');
    this.name = 'ManagementTokenError';
  }
}

interface Auth0Body {
  message?: string;
  error?: string;
  error_description?: string;
  errorCode?: string;
}

function bodyOf(error: ManagementError): Auth0Body {
  const body = error.body;
  if (body && typeof body === 'object') return body as Auth0Body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as Auth0Body;
    } catch {
      return {};
    }
  }
  return {};
}

function retryAtOf(error: ManagementError): Date | undefined {
  const headers = error.rawResponse?.headers;
  const number = (name: string) => {
    const value = headers?.get(name);
    return value == null || value.trim() === '' ? Number.NaN : Number(value);
  };
  const reset = number('x-ratelimit-reset');
  if (Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  const after = number('retry-after');
  if (Number.isFinite(after) && after >= 0) return new Date(Date.now() + after * 1000);
  return undefined;
}

function scopesIn(message: string): string[] {
  const match = /expected (?:all|any) of: ([^.]+)/i.exec(message);
  return match?.[1] ? match[1].split(',').map((scope) => scope.trim()) : [];
}

function networkCause(error: unknown): boolean {
  const text = String((error as { cause?: unknown })?.cause ?? error);
  return /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket|fetch failed|other side closed|\bterminated\b/i.test(text);
}

function formatTime(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** What went wrong with the token request, in words, for the operator's sentence. */
function tokenFailure(reason: unknown): string {
  const message = String((reason as Error)?.message ?? reason);
  // The SDK's token request gives up after 10 s and reports that as a status-408 ManagementError.
  if (reason instanceof ManagementTimeoutError || /timeout|timed out|aborted/i.test(message)) {
    return 'its token endpoint did not answer in time';
  }
  if (reason instanceof ManagementError && reason.statusCode !== undefined) {
    return `its token endpoint answered ${reason.statusCode}`;
  }
  if (networkCause(reason)) return 'its token endpoint could not be reached';
  return 'its token endpoint answered with something Keyshift could not read';
}

function fromTokenError(error: ManagementTokenError): Auth0Error {
  const mapped = error.reason instanceof ManagementError ? toAuth0Error(error.reason) : undefined;
  // Refused credentials and rate limits keep their own, more specific sentences; neither is ambiguous.
  if (mapped?.code === 'auth0:invalid_credentials' || mapped?.code === 'auth0:rate_limited') return mapped;
  return new Auth0Error(
    'auth0:token_unavailable',
    `Keyshift could not get a Management API token from Auth0 (${tokenFailure(error.reason)}), so nothing changed in Auth0. Try again in a minute; if it keeps failing, check Auth0’s status.`,
    { status: mapped?.details.status, ambiguous: false },
  );
}

/** Maps anything the SDK throws to an Auth0Error; token-request failures arrive wrapped in ManagementTokenError. */
export function toAuth0Error(error: unknown): Auth0Error {
  if (error instanceof Auth0Error) return error;
  if (error instanceof ManagementTokenError) return fromTokenError(error);
  if (error instanceof ManagementTimeoutError) {
    return new Auth0Error('auth0:timeout', 'Auth0 did not answer in time.', { ambiguous: true });
  }
  if (!(error instanceof ManagementError)) {
    if (networkCause(error)) {
      return new Auth0Error('auth0:unreachable', 'Keyshift could not reach Auth0.', { ambiguous: true });
    }
    return new Auth0Error('auth0:upstream', 'Auth0 returned something Keyshift did not understand.', {
      ambiguous: true,
    });
  }
  const status = error.statusCode;
  const body = bodyOf(error);
  const auth0Message = body.message ?? body.error_description;
  const details = { status, auth0Message, errorCode: body.errorCode ?? body.error };

  if (status === undefined) {
    // On Node 20 the SDK reports its own timeout as a status-less ManagementError whose message is "timeout".
    if (/timeout|timed out|aborted/i.test(error.message)) {
      return new Auth0Error('auth0:timeout', 'Auth0 did not answer in time.', { ...details, ambiguous: true });
    }
    // No status: the connection dropped, or the body was not JSON; the request may have been carried out.
    const code = networkCause(error) ? 'auth0:unreachable' : 'auth0:upstream';
    const message =
      code === 'auth0:unreachable'
        ? 'The connection to Auth0 was lost before it answered.'
        : 'Auth0 returned a response Keyshift could not read.';
    return new Auth0Error(code, message, { ...details, ambiguous: true });
  }
  if (body.error === 'access_denied' && (status === 401 || status === 403)) {
    return new Auth0Error(
      'auth0:invalid_credentials',
      'Auth0 refused the machine-to-machine credentials: check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_MANAGEMENT_TOKEN).',
      details,
    );
  }
  switch (status) {
    case 400:
      return new Auth0Error('auth0:bad_request', auth0Message ?? 'Auth0 rejected the request.', details);
    case 401:
      return new Auth0Error('auth0:unauthorized', 'Auth0 did not accept Keyshift’s access token.', details);
    case 403: {
      const missingScopes = scopesIn(auth0Message ?? '');
      const message =
        missingScopes.length > 0
          ? `The machine-to-machine app lacks the scopes ${missingScopes.join(', ')}. Grant them to it in Auth0 (Applications → APIs → Auth0 Management API).`
          : (auth0Message ?? 'Auth0 refused the request.');
      return new Auth0Error('auth0:forbidden', message, { ...details, missingScopes });
    }
    case 404:
      return new Auth0Error('auth0:not_found', 'Auth0 has no such connection.', details);
    case 409:
      return new Auth0Error('auth0:conflict', auth0Message ?? 'Auth0 reports a conflict.', details);
    case 408:
      return new Auth0Error('auth0:timeout', 'Auth0 did not answer in time.', { ...details, ambiguous: true });
    case 429: {
      const retryAt = retryAtOf(error);
      const when = retryAt ? `after ${formatTime(retryAt)}` : 'in a few seconds';
      return new Auth0Error('auth0:rate_limited', `Auth0’s rate limit was reached. Try again ${when}.`, {
        ...details,
        retryAt,
      });
    }
    default:
      return new Auth0Error('auth0:upstream', `Auth0 failed with status ${status}.`, {
        ...details,
        ambiguous: status >= 500,
      });
  }
}
