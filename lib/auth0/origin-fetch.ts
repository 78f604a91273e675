/**
 * The `auth0` SDK always calls `https://{domain}`; its `fetch` option is the supported hook. This wraps a fetch so
 * that every request to `https://{domain}` (the Management API and the token endpoint alike) goes to `apiOrigin`
 * instead, which is how Keyshift reaches the emulator.
 */
export function originRewritingFetch(domain: string, apiOrigin: string, base: typeof fetch = fetch): typeof fetch {
  const from = `https://${domain}`;
  const to = new URL(apiOrigin).origin;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url !== from && !url.startsWith(`${from}/`)) return base(input, init);
    const rewritten = to + url.slice(from.length);
    return input instanceof Request ? base(new Request(rewritten, input), init) : base(rewritten, init);
  };
}
