import 'server-only';
import type { NextAuthOptions, Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import Auth0Provider from 'next-auth/providers/auth0';
import { auditStore } from '@/lib/audit';
import { signInEvent } from '@/lib/audit/events';
import { config } from '@/lib/config';
import { safeReturnPath } from '@/lib/safe-redirect';
import { type RoleSources, resolveTenantRoles, type TenantRoles } from './roles';

/** Sessions end after a working day; an operator signs in again the next morning. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/**
 * Whether a session token is still within its working day. next-auth's jwt strategy re-issues the cookie with a fresh
 * `exp` on every read of the session endpoint, so `exp` alone would let a polled session live for ever; the sign-in
 * time does not move. A token without one was not written by this version's sign-in and is not a session.
 */
export function sessionIsCurrent(token: JWT, nowMs = Date.now()): boolean {
  const { signedInAt } = token;
  return typeof signedInAt === 'number' && nowMs / 1000 - signedInAt <= SESSION_MAX_AGE_SECONDS;
}

class SessionExpired extends Error {
  constructor() {
    super('the session is older than its maximum age since sign-in');
    this.name = 'SessionExpired';
  }
}

declare module 'next-auth' {
  interface Session {
    user: { sub: string; email: string | null; name: string | null; image: string | null; roles: TenantRoles };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    /** The roles per tenant, decided at sign-in. */
    roles?: TenantRoles;
    /** Kept for RP-initiated logout (id_token_hint); the cookie holding it is encrypted and HttpOnly. */
    idToken?: string;
    /** When the operator signed in, in seconds since the epoch: the session ends SESSION_MAX_AGE_SECONDS after it. */
    signedInAt?: number;
  }
}

/** The operator a session token stands for; the session callback and currentUser() both read it through this. */
export function userFromToken(token: JWT): Session['user'] {
  return {
    sub: token.sub ?? '',
    email: token.email ?? null,
    name: token.name ?? null,
    image: token.picture ?? null,
    roles: token.roles ?? NO_ROLES,
  };
}

const NO_ROLES: TenantRoles = { all: null, bySlug: {} };

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const { auth, nextAuth } = config();
  const sourcesOf = (claims: Record<string, unknown>, email: string | null | undefined): RoleSources => ({
    claim: claims[auth.rolesClaim],
    email,
    emailVerified: claims.email_verified === true,
  });
  cached = {
    secret: nextAuth.secret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      Auth0Provider({
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        // next-auth appends the discovery path itself; Auth0's issuer ends with a slash.
        issuer: auth.issuer.replace(/\/+$/, ''),
        authorization: { params: { scope: 'openid profile email' } },
        profile(profile) {
          return {
            id: String(profile.sub),
            name: (profile.name as string | undefined) ?? (profile.nickname as string | undefined) ?? null,
            email: (profile.email as string | undefined) ?? null,
            image: (profile.picture as string | undefined) ?? null,
          };
        },
      }),
    ],
    events: {
      async signIn({ user, profile }) {
        const claims = (profile ?? {}) as Record<string, unknown>;
        const roles = resolveTenantRoles(sourcesOf(claims, user.email), auth.allowLists);
        // A sign-in that cannot be recorded is logged, not refused: the audit's promise is about rotations.
        const signedIn = { sub: user.id, email: user.email ?? null, name: user.name ?? null, roles };
        await auditStore()
          .then((store) => store.append(signInEvent(signedIn)))
          .catch((error: unknown) => console.error('[keyshift] could not record a sign-in', String(error)));
      },
    },
    callbacks: {
      // The role is decided once, from the ID token, at sign-in; it lives in the encrypted session cookie.
      // Throwing makes next-auth's session endpoint answer "no session" and clear the cookie.
      jwt({ token, profile, account }) {
        if (account) token.signedInAt = Math.floor(Date.now() / 1000);
        if (!sessionIsCurrent(token)) throw new SessionExpired();
        if (account?.id_token) token.idToken = account.id_token;
        if (profile) {
          const claims = profile as Record<string, unknown>;
          token.roles = resolveTenantRoles(sourcesOf(claims, token.email), auth.allowLists);
        }
        return token;
      },
      // next-auth's callbackUrl (query, form or cookie): the same check as every other return path.
      redirect({ url, baseUrl }) {
        return `${new URL(baseUrl).origin}${safeReturnPath(url, baseUrl)}`;
      },
      session({ session, token }) {
        session.user = userFromToken(token);
        return session;
      },
    },
  };
  return cached;
}
