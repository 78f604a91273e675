import type { IncomingMessage } from 'node:http';

/** What a route answers; the server writes it (after faults have had their say). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown anywhere below a route to answer with an error reply. */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The Management API error body: `{statusCode, error, message, errorCode?}`. */
export function apiError(
  status: number,
  message: string,
  errorCode?: string,
  extra?: Record<string, unknown>,
): HttpError {
  return new HttpError({
    status,
    body: { statusCode: status, error: reasonPhrase(status), message, ...(errorCode ? { errorCode } : {}), ...extra },
  });
}

/** The Authentication API (OAuth) error body: `{error, error_description}`. */
export function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError({ status, body: { error, error_description: description } });
}

const MAX_BODY_BYTES = 1_000_000;

const received = new WeakMap<IncomingMessage, Buffer>();

async function collectBody(req: IncomingMessage, onError: (status: number, message: string) => HttpError) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw onError(413, 'Payload content length greater than maximum allowed: 1000000');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads the whole request now, so that a handler run later (after a latency fault) still has it when the client
 * has given up meanwhile: a slow Auth0 that received the request carries it out whether or not anyone waits.
 */
export async function receiveBody(req: IncomingMessage): Promise<void> {
  received.set(req, await collectBody(req, (status, message) => apiError(status, message)));
}

/**
 * Reads a JSON or form-urlencoded body, as Auth0 accepts both. An empty body is `{}`; malformed JSON is
 * hapi's 400 (Auth0's API runs on hapi, hence the wording). `onError` shapes the error for the API family.
 */
export async function readBody(
  req: IncomingMessage,
  onError: (status: number, message: string) => HttpError = (status, message) =>
    apiError(status, message, status === 400 ? 'invalid_body' : undefined),
): Promise<unknown> {
  const text = (received.get(req) ?? (await collectBody(req, onError))).toString('utf8');
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (type === 'application/json' || type === '' || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw onError(400, 'Invalid request payload JSON format');
    }
  }
  throw onError(415, 'Unsupported Media Type');
}

export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
