/**
 * What a person typed, made unable to become a link when the bot repeats it in public: Slack links bare domains
 * (`evil.com`) and any `scheme://`, Discord links `http(s)://`. Each link-like piece is defanged the way security
 * tools show indicators (`https[:]//evil[.]example/login`), so it still reads as what was typed but nothing
 * clicks through, in any client. Dots between digits (`gpt-4.5`, `1.5B`) and one-letter endings (`e.g`) stay.
 */
const SCHEME_SOURCE = String.raw`\b([a-z][a-z0-9+.-]{1,30}):\/\/`;
const SCHEME = new RegExp(SCHEME_SOURCE, 'gi');
/** Where a URL starts: a scheme, or `www.` without one. */
const URL_START = new RegExp(`${SCHEME_SOURCE}|\\bwww\\.`, 'i');
/** A dot followed by a label of two or more letters (a possible top-level domain), after a letter or digit. */
const DOMAIN_DOT = /(?<=[\p{L}\p{N}_-])\.(?=\p{L}{2,})/gu;
/** Dotted quads: `10.0.0.1` links on Slack too. */
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
/** `user@host` reads as an email address (a mailto: link) even when the host has no dot. */
const EMAIL_AT = /(?<=[\p{L}\p{N}._%+-])@(?=[\p{L}\p{N}-]+\[\.\])/gu;

export function inertLinks(text: string): string {
  if (!/[.:]/.test(text)) return text;
  return text
    .replace(SCHEME, '$1[:]//')
    .replace(IPV4, (quad) => quad.replaceAll('.', '[.]'))
    .replace(DOMAIN_DOT, '[.]')
    .replace(EMAIL_AT, '[@]');
}

/** Whether text holds a URL (`scheme://…`, `www.…`): never what a keyword subscription means. */
export function containsUrl(text: string): boolean {
  return URL_START.test(text);
}
