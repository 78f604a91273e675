import type { TenantView } from './tenant-context';

const STYLES: Record<TenantView['environment'], string> = {
  production: 'bg-red-600 text-white ring-red-700',
  staging: 'bg-amber-100 text-amber-900 ring-amber-300',
  development: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
};
const WORDS: Record<TenantView['environment'], string> = {
  production: 'Production',
  staging: 'Staging',
  development: 'Development',
};

/** The environment in words and colour (never colour alone), wherever a tenant is named. */
export function EnvironmentBadge({ environment }: { environment: TenantView['environment'] }) {
  return (
    <span
      className={`rounded px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide ring-1 ring-inset ${STYLES[environment]}`}
    >
      {WORDS[environment]}
    </span>
  );
}

/** Across the top of every page of a production tenant: no one mistakes it for development. */
export function ProductionBanner({ tenant }: { tenant: TenantView }) {
  if (tenant.environment !== 'production') return null;
  return (
    <div
      role="note"
      aria-label="Production tenant"
      data-testid="production-banner"
      className="bg-red-700 px-4 py-1.5 text-center text-sm font-medium text-white"
    >
      Production: {tenant.name} ({tenant.domain}). Changes here affect live sign-ins.
    </div>
  );
}
