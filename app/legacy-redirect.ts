import 'server-only';
import { redirect } from 'next/navigation';
import { config } from '@/lib/config';

/**
 * The URLs from before tenants were in the path (`/connections/…`, `/audit…`): with one tenant they still lead to
 * the same page; with several there is no telling which tenant was meant, so they lead to the choice.
 */
export function redirectToTenant(path: string, search = ''): never {
  const { tenants } = config();
  const only = tenants.length === 1 ? tenants[0] : undefined;
  redirect(only ? `/${only.slug}${path}${search}` : '/');
}

export function searchOf(params: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, one);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
