/** A complete production configuration (no demo defaults), for tests of what the server does outside the demo. */
export const PRODUCTION_ENV = {
  AUTH0_DOMAIN: 'acme.eu.auth0.com',
  AUTH0_CLIENT_ID: 'm2m',
  AUTH0_CLIENT_SECRET: 'm2m-secret',
  AUTH_ISSUER: 'https://login.acme.com/',
  AUTH_CLIENT_ID: 'dash',
  AUTH_CLIENT_SECRET: 'dash-secret',
  NEXTAUTH_URL: 'https://keyshift.acme.com',
  NEXTAUTH_SECRET: 'a-session-secret-of-at-least-32-characters!',
} as const;
