import type { ConnectionListSnapshot } from '@/lib/auth0/connection-cache';
import type { ConnectionSummary } from '@/lib/auth0/types';

/**
 * The connection list on the wire: one JSON string of tuples rather than an array of objects. React's Flight
 * decoder revives every value of an object graph one by one; a single string crosses it untouched and the browser's
 * native JSON.parse does the rest, which at 10,000 connections is the difference between a long task and none.
 */
export type PackedConnections = string;

type Tuple = [id: string, name: string, displayName: string | null, strategy: string, keyCapable: 0 | 1];

export function packConnections(connections: readonly ConnectionSummary[]): PackedConnections {
  return JSON.stringify(connections.map((c): Tuple => [c.id, c.name, c.displayName, c.strategy, c.keyCapable ? 1 : 0]));
}

function isTuple(value: unknown): value is Tuple {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    (value[2] === null || typeof value[2] === 'string') &&
    typeof value[3] === 'string' &&
    (value[4] === 0 || value[4] === 1)
  );
}

export function unpackConnections(packed: PackedConnections): ConnectionSummary[] {
  const tuples: unknown = JSON.parse(packed);
  if (!Array.isArray(tuples)) throw new Error('The connection list arrived in an unexpected shape.');
  return tuples.map((tuple) => {
    if (!isTuple(tuple)) throw new Error('The connection list arrived in an unexpected shape.');
    const [id, name, displayName, strategy, keyCapable] = tuple;
    return { id, name, displayName, strategy, keyCapable: keyCapable === 1 };
  });
}

/** A list snapshot as the server actions send it: the same, with the list packed. */
export type WireSnapshot = Omit<ConnectionListSnapshot, 'connections'> & { packed: PackedConnections | null };

export function toWire({ connections, ...rest }: ConnectionListSnapshot): WireSnapshot {
  return { ...rest, packed: connections ? packConnections(connections) : null };
}

export function fromWire({ packed, ...rest }: WireSnapshot): ConnectionListSnapshot {
  return { ...rest, connections: packed === null ? null : unpackConnections(packed) };
}
