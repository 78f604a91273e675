import { expect, test } from 'vitest';
import type { ConnectionSummary } from '@/lib/auth0/types';
import { fromWire, packConnections, toWire, unpackConnections } from './wire';

const connections: ConnectionSummary[] = [
  { id: 'con_Q7tLk2vMx9RbW4sE', name: 'okta-acme', displayName: 'Acme "Corp"\t\n', strategy: 'okta', keyCapable: true },
  { id: 'con_Ww3kF9mYa6RtP2hJ', name: 'samlp-tyrell', displayName: null, strategy: 'samlp', keyCapable: false },
];

test('a list survives the round trip exactly, whatever its display names hold', () => {
  expect(unpackConnections(packConnections(connections))).toEqual(connections);
  expect(unpackConnections(packConnections([]))).toEqual([]);
});

test('the packed form is smaller than the objects it stands for', () => {
  expect(packConnections(connections).length).toBeLessThan(JSON.stringify(connections).length * 0.8);
});

test.each([
  ['not JSON', '[['],
  ['not a list', '{"id":"con_x"}'],
  ['a short tuple', '[["con_x","name",null,"okta"]]'],
  ['a wrong flag', '[["con_x","name",null,"okta",true]]'],
  ['a number for a name', '[["con_x",5,null,"okta",1]]'],
])('%s is refused', (_label, packed) => {
  expect(() => unpackConnections(packed)).toThrow();
});

test.each([
  ['a list', connections],
  ['no list', null],
])('a snapshot with %s crosses the wire unchanged', (_label, list) => {
  const snapshot = {
    scope: 'all' as const,
    connections: list,
    fetchedAt: list ? 1_000 : null,
    loading: list ? null : { loaded: 300, startedAt: 5 },
    error: null,
    now: 2_000,
  };
  expect(fromWire(JSON.parse(JSON.stringify(toWire(snapshot))))).toEqual(snapshot);
});
