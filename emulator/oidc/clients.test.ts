import { describe, expect, test } from 'vitest';
import { dashboardClient, matchesLoopbackOnAnyPort } from './clients';

describe('matchesLoopbackOnAnyPort', () => {
  const registered = [
    'http://localhost:3000/api/auth/callback/auth0',
    'https://keyshift.example/api/auth/callback/auth0',
  ];

  test.each([
    { candidate: 'http://localhost:3100/api/auth/callback/auth0', allowed: true },
    { candidate: 'http://localhost/api/auth/callback/auth0', allowed: true },
    { candidate: 'http://localhost:3100/api/auth/callback/other', allowed: false },
    { candidate: 'http://127.0.0.1:3100/api/auth/callback/auth0', allowed: false },
    { candidate: 'https://localhost:3100/api/auth/callback/auth0', allowed: false },
    { candidate: 'https://keyshift.example:8443/api/auth/callback/auth0', allowed: false },
    { candidate: 'http://user:pw@localhost:3100/api/auth/callback/auth0', allowed: false },
    { candidate: 'http://localhost.evil.example:3000/api/auth/callback/auth0', allowed: false },
    { candidate: 'not a url', allowed: false },
  ])('$candidate → $allowed', ({ candidate, allowed }) => {
    expect(matchesLoopbackOnAnyPort(candidate, registered)).toBe(allowed);
  });
});

describe('dashboardClient', () => {
  test('registers the app on localhost and 127.0.0.1 by default', () => {
    const client = dashboardClient({});
    expect(client).toMatchObject({ clientId: 'keyshift-dashboard', clientSecret: 'keyshift-dashboard-secret' });
    expect(client.redirectUris).toEqual([
      'http://localhost:3000/api/auth/callback/auth0',
      'http://127.0.0.1:3000/api/auth/callback/auth0',
    ]);
    expect(client.postLogoutRedirectUris).toEqual([
      'http://localhost:3000/',
      'http://localhost:3000/signed-out',
      'http://127.0.0.1:3000/',
      'http://127.0.0.1:3000/signed-out',
    ]);
  });

  test('adds OIDC_REDIRECT_URIS and logout targets on their origins', () => {
    const client = dashboardClient({
      OIDC_REDIRECT_URIS: ' https://keyshift.example/api/auth/callback/auth0 ,',
      OIDC_POST_LOGOUT_REDIRECT_URIS: 'https://keyshift.example/bye',
    });
    expect(client.redirectUris).toContain('https://keyshift.example/api/auth/callback/auth0');
    expect(client.postLogoutRedirectUris).toEqual(
      expect.arrayContaining([
        'https://keyshift.example/',
        'https://keyshift.example/signed-out',
        'https://keyshift.example/bye',
      ]),
    );
  });

  test.each(['OIDC_REDIRECT_URIS', 'OIDC_POST_LOGOUT_REDIRECT_URIS'])('names %s when it holds a bad URL', (name) => {
    expect(() => dashboardClient({ [name]: 'http://ok.example/cb,not-a-url' })).toThrow(
      `${name} contains an invalid URL`,
    );
  });
});
