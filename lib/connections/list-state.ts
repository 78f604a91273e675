import type { ConnectionListSnapshot } from '@/lib/auth0/connection-cache';

/** What the browser asks with: the `fetchedAt` of the list it holds, so an unchanged list is not sent again. */
export function sinceOf(held: ConnectionListSnapshot | undefined): number | undefined {
  return held?.connections && !held.preview && held.fetchedAt !== null ? held.fetchedAt : undefined;
}

/**
 * The first screenful of a long list, for the server-rendered page: its first paint stays as light at 10,000
 * connections as at 10, and the browser fetches the whole list right after.
 */
export function previewSnapshot(snapshot: ConnectionListSnapshot, rows: number): ConnectionListSnapshot {
  const { connections } = snapshot;
  if (!connections || connections.length <= rows) return snapshot;
  return { ...snapshot, connections: connections.slice(0, rows), preview: { total: connections.length } };
}

/** The server answers "unchanged" with `connections: null`; keep the list already held in that case. */
export function mergeSnapshot(
  held: ConnectionListSnapshot | undefined,
  answer: ConnectionListSnapshot,
): ConnectionListSnapshot {
  if (answer.connections === null && held?.connections && !held.preview && held.fetchedAt === answer.fetchedAt) {
    return { ...answer, connections: held.connections };
  }
  return answer;
}

/** "just now", "42 s ago", "3 min ago", "2 h ago". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/** Fixed locale: the server and the browser must print the same digits, or hydration fails. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
