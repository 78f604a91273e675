import { readFileSync } from 'node:fs';
import { E2E } from './env';

interface ManifestEntry {
  workers: Record<string, unknown>;
  exportedName?: string;
  filename?: string;
}

/** Every server action of the build, by exported name, read from Next's own manifest. */
export function serverActions(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(
    readFileSync(`${process.env.NEXT_DIST_DIR ?? '.next'}/server/server-reference-manifest.json`, 'utf8'),
  ) as {
    node: Record<string, ManifestEntry>;
  };
  const actions = new Map<string, { id: string; page: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const page = Object.keys(entry.workers)[0] ?? 'app/(dashboard)/[tenant]/(home)/page';
    if (entry.exportedName) actions.set(entry.exportedName, { id, page });
  }
  return actions;
}

/** The URL of the page an action belongs to: route groups dropped, dynamic segments filled with a seed id. */
function pagePath(page: string): string {
  const path = page
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .replace(/\/\([^)]+\)/g, '')
    .replace(/\[tenant\]/g, E2E.tenant)
    .replace(/\[id\]/g, 'con_Q7tLk2vMx9RbW4sE');
  return path === '' ? '/' : path;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Calls a server action the way a forged request would: a POST with the Next-Action header and JSON arguments,
 * from the app's own origin (Next refuses foreign origins before any of our code runs). An object argument names the
 * stack's tenant, as the tenant's pages do, unless it names one itself (`tenant: undefined` leaves it out).
 */
export async function callServerAction(
  name: string,
  givenArgs: unknown[],
  options: { cookie?: string; origin?: string; path?: string; baseUrl?: string } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const args = givenArgs.map((arg, index) =>
    index === 0 && isObject(arg) && !('tenant' in arg) ? { tenant: E2E.tenant, ...arg } : arg,
  );
  const action = serverActions().get(name);
  if (!action) throw new Error(`no server action named ${name} in the build`);
  const baseUrl = options.baseUrl ?? E2E.appUrl;
  const response = await fetch(`${baseUrl}${options.path ?? pagePath(action.page)}`, {
    method: 'POST',
    headers: {
      'next-action': action.id,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: options.origin ?? baseUrl,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: JSON.stringify(args),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

export interface ActionOutcome {
  ok: boolean;
  code?: string;
  message?: string;
  requestId?: string;
  fieldErrors?: Record<string, string[]>;
  data?: unknown;
}

/**
 * The rows of an RSC answer: `id:json` lines, except text rows (`id:T<hex byte length>,<text>`), whose text may hold
 * newlines (a PEM does) and is followed directly by the next row.
 */
export function rscRows(text: string): { id: string; value: string }[] {
  const bytes = Buffer.from(text, 'utf8');
  const rows: { id: string; value: string }[] = [];
  let at = 0;
  while (at < bytes.length) {
    const colon = bytes.indexOf(':', at);
    if (colon < 0) break;
    const id = bytes.subarray(at, colon).toString('utf8');
    const textRow = /^T([0-9a-f]+),/.exec(bytes.subarray(colon + 1, colon + 20).toString('latin1'));
    if (textRow?.[1]) {
      const start = colon + 1 + textRow[0].length;
      const end = start + Number.parseInt(textRow[1], 16);
      rows.push({ id, value: bytes.subarray(start, end).toString('utf8') });
      at = end;
      continue;
    }
    const newline = bytes.indexOf('\n', colon);
    const end = newline < 0 ? bytes.length : newline;
    rows.push({ id, value: bytes.subarray(colon + 1, end).toString('utf8') });
    at = end + 1;
  }
  return rows;
}

/** The action's own result in an RSC answer (the row whose JSON has `ok`), or undefined if it has none. */
export function actionResult(text: string): ActionOutcome | undefined {
  for (const { value } of rscRows(text)) {
    if (!value.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(value) as { ok?: unknown };
      if (typeof parsed.ok === 'boolean') return parsed as ActionOutcome;
    } catch {
      // A reference or stream row: not the result.
    }
  }
  return undefined;
}
