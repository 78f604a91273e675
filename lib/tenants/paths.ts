/** Paths of a tenant's pages. Client-safe: it imports nothing. */

/** `/{slug}` + a path of the tenant's pages (`/`, `/audit?…`, `/connections/…`). */
export function tenantHref(slug: string, path: string): string {
  return path === '/' ? `/${slug}` : `/${slug}${path}`;
}

/**
 * The same place in another tenant: the list and the audit (with its filters) exist in every tenant; a connection
 * page goes to the connection of the same name there, when there is one (the connection page looks it up by `from`);
 * a campaign's page to the other tenant's campaigns.
 */
export function switchedPath(pathname: string, search: string, from: string, to: string): string {
  const rest = pathname.replace(/^\/[^/]+/, '') || '/';
  const query = search ? `?${search}` : '';
  if (rest.startsWith('/connections/')) return `/${to}${rest}?from=${encodeURIComponent(from)}`;
  // A campaign belongs to one tenant: the other's campaigns page.
  if (rest.startsWith('/campaigns/')) return tenantHref(to, '/campaigns');
  return tenantHref(to, rest) + query;
}
