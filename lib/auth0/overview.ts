import 'server-only';
import { mapWithConcurrency } from '@/lib/concurrency';
import { listConnectionKeys, listConnections } from './connections';
import type { ConnectionOverview, ConnectionSummary } from './types';

/** Past this many key-capable connections the list leaves key algorithms to the connection page. */
const MAX_KEY_LOOKUPS = 200;
const KEY_LOOKUP_CONCURRENCY = 6;

async function withKeys(connection: ConnectionSummary): Promise<ConnectionOverview> {
  try {
    const keys = await listConnectionKeys(connection.id);
    const current = keys.find((key) => key.current);
    return {
      ...connection,
      keysState: keys.length > 0 ? 'provisioned' : 'not-provisioned',
      currentAlgorithm: current?.algorithm ?? null,
    };
  } catch {
    return { ...connection, keysState: 'unknown', currentAlgorithm: null };
  }
}

export async function listConnectionOverview(): Promise<ConnectionOverview[]> {
  const connections = await listConnections();
  const capable = connections.filter((connection) => connection.keyCapable);
  const lookups = capable.length <= MAX_KEY_LOOKUPS ? capable : [];
  const looked = new Map(
    (await mapWithConcurrency(lookups, KEY_LOOKUP_CONCURRENCY, withKeys)).map((overview) => [overview.id, overview]),
  );
  return connections.map(
    (connection) =>
      looked.get(connection.id) ?? {
        ...connection,
        keysState: connection.keyCapable ? 'unknown' : 'unsupported',
        currentAlgorithm: null,
      },
  );
}
