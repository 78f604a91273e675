import type { ConnectionDetail } from '@/lib/auth0/types';
import { StrategyBadge } from './strategy-badge';

export function ConnectionFacts({ connection }: { connection: ConnectionDetail }) {
  const facts: [string, React.ReactNode][] = [
    [
      'Connection id',
      <span className="font-mono" key="id">
        {connection.id}
      </span>,
    ],
    ['Strategy', <StrategyBadge strategy={connection.strategy} key="strategy" />],
    ['Client authentication', connection.tokenEndpointAuthMethod ?? '—'],
    ['Realms', connection.realms.length > 0 ? connection.realms.join(', ') : '—'],
    ['Domain connection', connection.isDomainConnection ? 'Yes' : 'No'],
    ['Signing keys', connection.keyCapable ? 'Supported' : 'Not supported'],
  ];
  return (
    <header className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{connection.displayName ?? connection.name}</h1>
        {connection.displayName ? <p className="font-mono text-sm text-slate-600">{connection.name}</p> : null}
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-xs md:grid-cols-3">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium text-slate-500">{label}</dt>
            <dd className="mt-0.5 text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
