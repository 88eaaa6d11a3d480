/** A URL fit for logs and error lines: credentials in it (`user:password@`) become `***`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactUrlsIn(url);
  }
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '***';
  parsed.password = '';
  return parsed.toString();
}

/** Free text (an error message, a log line) with the credentials of every URL in it replaced by `***`. */
export function redactUrlsIn(text: string): string {
  // Up to the authority's last `@`, as URL parsers read it: a password may hold an `@` of its own.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}

/**
 * Text that may be a URL the parser refuses (a bad setting): `scheme://user:pw@` and a bare `user:pw@host` lose
 * their credentials too.
 */
export function redactCredentials(text: string): string {
  return redactUrlsIn(text).replace(/^[^\s/?#@:]+:[^\s/?#]*@/, '***@');
}
