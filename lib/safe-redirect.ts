/** Longer than any page of Keyshift with its filters; a longer "return path" is not one. */
const MAX_RETURN_PATH_LENGTH = 2048;
/**
 * Control characters (C0, DEL, C1), any whitespace, and the backslash. URL parsers drop tabs and newlines and read a
 * backslash as a slash, so `/\t/evil` and `/\evil` become `//evil`, another host; none belongs in a path of ours.
 */
const REFUSED = /[\p{Cc}\s\\]/u;
const REFUSED_ENCODED = /[\p{Cc}\\]/u;

function decoded(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * Where to send the browser back to (after sign-in, or to sign-in from): a path, query and fragment on `origin`
 * (Keyshift's own), or `/`. The value is resolved as a URL: a path of ours, or an absolute URL on exactly this origin
 * (kept as its path); anything else, and anything with a control character or whitespace, goes home. Every return
 * path taken from a request goes through here.
 */
export function safeReturnPath(value: string | string[] | undefined, origin: string): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  if (!candidate || candidate.length > MAX_RETURN_PATH_LENGTH || REFUSED.test(candidate)) return '/';
  let url: URL;
  try {
    const own = new URL(origin);
    // A relative value must be a path; only an absolute URL may name an origin (`https:evil` is not a path of ours).
    url = candidate.startsWith('/') ? new URL(candidate, own) : new URL(candidate);
    if (url.origin !== own.origin) return '/';
  } catch {
    return '/';
  }
  // `/%2F%2Fevil` is a path here, but a server or router that decodes it once more would see `//evil`.
  const path = decoded(url.pathname);
  if (path === null || path.startsWith('//') || REFUSED_ENCODED.test(path)) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
