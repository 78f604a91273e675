import type { ConnectionSummary } from '@/lib/auth0/types';

// Lower-cased once per list, not once per keystroke: at 10,000 connections that is most of a search's cost.
const haystacks = new WeakMap<readonly ConnectionSummary[], string[]>();

function haystacksOf(connections: readonly ConnectionSummary[]): string[] {
  let found = haystacks.get(connections);
  if (!found) {
    // U+0000 cannot occur in a query, so a match never spans two fields.
    found = connections.map((c) => `${c.name}\u0000${c.displayName ?? ''}\u0000${c.id}`.toLowerCase());
    haystacks.set(connections, found);
  }
  return found;
}

/** Lower-cases a list's search texts ahead of the first keystroke (call it when the browser is idle). */
export function prepareSearch(connections: readonly ConnectionSummary[]): void {
  haystacksOf(connections);
}

/** The list's search: name, display name or id, case-insensitive; optionally only connections that hold keys. */
export function filterConnections<T extends ConnectionSummary>(
  connections: T[],
  query: string,
  keyCapableOnly: boolean,
): T[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return keyCapableOnly ? connections.filter((connection) => connection.keyCapable) : connections;
  const texts = haystacksOf(connections);
  return connections.filter(
    (connection, index) => (!keyCapableOnly || connection.keyCapable) && (texts[index] as string).includes(needle),
  );
}
