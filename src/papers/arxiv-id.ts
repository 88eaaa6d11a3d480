/**
 * Canonical arXiv ids. Accepts bare ids (with or without `vN`, with an `arXiv:` prefix) and the URLs people
 * paste: arxiv.org/abs/…, arxiv.org/pdf/….pdf, huggingface.co/papers/…. Returns null for anything else.
 */
const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v\d+)?$/;
const OLD_STYLE = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;
const URL_PATH = /^\/(?:abs|pdf|html|papers)\/(.+?)(?:\.pdf)?\/?$/;
const KNOWN_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org', 'huggingface.co', 'www.huggingface.co', 'hf.co']);

export function canonicalArxivId(input: string): string | null {
  let text = input.trim();
  if (text.length === 0 || text.length > 300) return null;
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    if (!KNOWN_HOSTS.has(url.hostname.toLowerCase())) return null;
    const match = URL_PATH.exec(url.pathname);
    if (!match) return null;
    text = decodeURIComponent(match[1]!);
  }
  text = text.replace(/^arxiv:/i, '');
  const modern = NEW_STYLE.exec(text);
  if (modern) return modern[1]!;
  const legacy = OLD_STYLE.exec(text);
  if (legacy) return legacy[1]!;
  return null;
}
