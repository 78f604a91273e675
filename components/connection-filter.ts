import type { ConnectionSummary } from '@/lib/auth0/types';

/** The list's search: name, display name or id, case-insensitive; optionally only connections that hold keys. */
export function filterConnections<T extends ConnectionSummary>(
  connections: T[],
  query: string,
  keyCapableOnly: boolean,
): T[] {
  const needle = query.trim().toLowerCase();
  return connections.filter(
    (connection) =>
      (!keyCapableOnly || connection.keyCapable) &&
      (needle === '' ||
        connection.name.toLowerCase().includes(needle) ||
        (connection.displayName ?? '').toLowerCase().includes(needle) ||
        connection.id.toLowerCase().includes(needle)),
  );
}
