import { createHash, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  /** Auth0 sends `nickname`, and next-auth's built-in Auth0 provider maps it to the session's `name`. */
  readonly nickname: string;
  readonly roles: readonly string[];
}

/** One shared password keeps the demo simple; it is shown on the login page on purpose. */
export const DEMO_PASSWORD = 'demo-password';

export const DEFAULT_ROLES_CLAIM = 'https://keyshift.dev/roles';

/**
 * Roles as Keyshift reads them: `rotator` / `viewer` hold in every tenant, `<role>:<tenant slug>` in that tenant only
 * (the slugs of the demo's tenants file, `demo/tenants.json`: `dev` and `prod`).
 */
export const demoUsers: readonly DemoUser[] = Object.freeze([
  { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice Rotator', nickname: 'alice', roles: ['rotator'] },
  { sub: 'auth0|bob', email: 'bob@example.com', name: 'Bob Viewer', nickname: 'bob', roles: ['viewer'] },
  { sub: 'auth0|carol', email: 'carol@example.com', name: 'Carol Nobody', nickname: 'carol', roles: [] },
  {
    sub: 'auth0|dave',
    email: 'dave@example.com',
    name: 'Dave Developer',
    nickname: 'dave',
    roles: ['rotator:dev', 'viewer:prod'],
  },
]);

export function findUserByEmail(email: string): DemoUser | undefined {
  const wanted = email.trim().toLowerCase();
  return demoUsers.find((user) => user.email === wanted);
}

export function findUserBySub(sub: string): DemoUser | undefined {
  return demoUsers.find((user) => user.sub === sub);
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const expectedDigest = digest(DEMO_PASSWORD);

/**
 * Returns the user only when the password matches. The comparison runs even for unknown emails, so response
 * time does not reveal which accounts exist.
 */
export function authenticate(email: string, password: string): DemoUser | undefined {
  const user = findUserByEmail(email);
  const passwordMatches = timingSafeEqual(digest(password), expectedDigest);
  return passwordMatches ? user : undefined;
}

/** The claims an Auth0 tenant with a "add roles to tokens" Action would issue; the scope filter picks from them. */
export function userClaims(user: DemoUser, rolesClaim: string): Record<string, unknown> & { sub: string } {
  return {
    sub: user.sub,
    email: user.email,
    email_verified: true,
    name: user.name,
    nickname: user.nickname,
    [rolesClaim]: [...user.roles],
  };
}
