import { readFileSync } from 'node:fs';
import { E2E } from './env';

interface ManifestEntry {
  workers: Record<string, unknown>;
  exportedName?: string;
  filename?: string;
}

/** Every server action of the build, by exported name, read from Next's own manifest. */
export function serverActions(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(readFileSync(`${process.env.NEXT_DIST_DIR ?? '.next'}/server/server-reference-manifest.json`, 'utf8')) as {
    node: Record<string, ManifestEntry>;
  };
  const actions = new Map<string, { id: string; page: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const page = Object.keys(entry.workers)[0] ?? 'app/(dashboard)/page';
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
    .replace(/\[id\]/g, 'con_Q7tLk2vMx9RbW4sE');
  return path === '' ? '/' : path;
}

/**
 * Calls a server action the way a forged request would: a POST with the Next-Action header and JSON arguments,
 * from the app's own origin (Next refuses foreign origins before any of our code runs).
 */
export async function callServerAction(
  name: string,
  args: unknown[],
  options: { cookie?: string; origin?: string; path?: string } = {},
): Promise<{ status: number; text: string }> {
  const action = serverActions().get(name);
  if (!action) throw new Error(`no server action named ${name} in the build`);
  const response = await fetch(`${E2E.appUrl}${options.path ?? pagePath(action.page)}`, {
    method: 'POST',
    headers: {
      'next-action': action.id,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: options.origin ?? E2E.appUrl,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: JSON.stringify(args),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text() };
}
