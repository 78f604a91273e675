const LABELS: Record<string, string> = {
  oidc: 'OpenID Connect',
  okta: 'Okta',
  samlp: 'SAML',
  waad: 'Microsoft Entra ID',
  'google-oauth2': 'Google',
  auth0: 'Database',
  adfs: 'ADFS',
};

export function strategyLabel(strategy: string): string {
  return LABELS[strategy] ?? strategy;
}

export function StrategyBadge({ strategy }: { strategy: string }) {
  return (
    <span className="inline-flex items-center rounded-md bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-200 ring-inset">
      {strategyLabel(strategy)}
    </span>
  );
}
