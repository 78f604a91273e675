import type { NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { federatedLogoutUrl } from '@/lib/auth/sign-out';
import { config } from '@/lib/config';

const SESSION_COOKIES = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** Ends the Keyshift session, then the issuer's, so the next sign-in asks for credentials again. */
export async function POST(request: NextRequest) {
  const origin = request.headers.get('origin');
  const ownOrigin = new URL(config().nextAuth.url).origin;
  if (origin && origin !== ownOrigin && origin !== request.nextUrl.origin) {
    return new Response('Sign-out must come from Keyshift itself.', { status: 403 });
  }
  const token = await getToken({ req: request, secret: config().nextAuth.secret });
  const response = new Response(null, { status: 303, headers: { location: await federatedLogoutUrl(token?.idToken) } });
  for (const cookie of request.cookies.getAll()) {
    if (SESSION_COOKIES.test(cookie.name)) {
      const secure = cookie.name.startsWith('__Secure-') ? '; Secure' : '';
      response.headers.append('set-cookie', `${cookie.name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`);
    }
  }
  return response;
}
