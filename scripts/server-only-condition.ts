import { register } from 'node:module';

let registered = false;

/**
 * Lets a Node script load Keyshift's server modules (lib/audit, lib/certs…). They import 'server-only', whose default
 * export throws outside a React Server bundle; a script is server code too, so this resolves that one marker the way
 * Next.js does for the server: with the react-server condition. Call it before the first dynamic import of such a
 * module (static imports are resolved before any code of the importing module runs).
 */
export function resolveServerOnlyAsServer(): void {
  if (registered) return;
  registered = true;
  register(
    `data:text/javascript,${encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier !== 'server-only') return next(specifier, context);
        return next(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
      }`)}`,
    import.meta.url,
  );
}
