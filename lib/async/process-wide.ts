/**
 * One value per server process, whichever route bundle asks first. It lives on globalThis, not in module scope:
 * Next.js bundles a module once per route and re-evaluates modules on every edit in development, and a second audit
 * store, log sync or cache in one process would open the same PGlite twice or do the same work twice.
 */
const registry = globalThis as typeof globalThis & { [key: symbol]: unknown };

export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`keyshift.${name}`);
  if (!(key in registry)) registry[key] = create();
  return registry[key] as T;
}

/**
 * A process-wide promise that is forgotten when it rejects, so the next call tries again instead of failing forever
 * (an audit database that was not up yet, say).
 */
export function processWidePromise<T>(name: string, open: () => Promise<T>): Promise<T> {
  const key = Symbol.for(`keyshift.${name}`);
  const existing = registry[key] as Promise<T> | undefined;
  if (existing) return existing;
  const opening = open();
  registry[key] = opening;
  opening.catch(() => {
    if (registry[key] === opening) delete registry[key];
  });
  return opening;
}
