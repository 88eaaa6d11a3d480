/**
 * Canonical arXiv ids. Accepts bare ids (with or without `vN`, with an `arXiv:` prefix) and the URLs people
 * paste: arxiv.org/abs/…, arxiv.org/pdf/….pdf, huggingface.co/papers/… (with or without the scheme, or wrapped
 * in Slack's `<url|label>`). Returns null for anything else; never throws.
 *
 * Canonical forms follow arXiv's "preferred external identifier": `2605.15320` (4 digits up to 1412, 5 from
 * 1501) and `hep-th/9901001`; an old-style subject class is dropped (`math.GT/0309136` → `math/0309136`).
 */
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v\d+)?$/i;
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*)(?:\.[a-z]+(?:-[a-z]+)*)?\/(\d{2})(\d{2})(\d{3})(?:v\d+)?$/i;
const URL_PATH = /^\/(?:abs|pdf|html|papers|api\/papers)\/(.+?)(?:\.pdf)?\/?$/i;
const KNOWN_HOSTS = new Set(['arxiv.org', 'export.arxiv.org', 'huggingface.co', 'hf.co', 'alphaxiv.org']);
const SCHEMELESS = /^(?:www\.)?(?:export\.)?(?:arxiv\.org|huggingface\.co|hf\.co|alphaxiv\.org)\//i;

export function canonicalArxivId(input: string): string | null {
  let text = unwrap(input);
  if (text.length === 0 || text.length > 300) return null;
  if (SCHEMELESS.test(text)) text = `https://${text}`;
  if (/^https?:\/\//i.test(text)) {
    const path = pathOf(text);
    if (path === null) return null;
    text = path;
  }
  text = text.replace(/^arxiv:\s*/i, '');
  return newStyle(text) ?? oldStyle(text);
}

/** Strips what chat and prose wrap around an id: `<url|label>`, quotes, brackets, a trailing full stop. */
function unwrap(input: string): string {
  let text = input.trim();
  const slack = /^<([^<>|]+)(?:\|[^<>]*)?>$/.exec(text);
  if (slack) text = slack[1]!.trim();
  text = text.replace(/^["'([]+|["')\]]+$/g, '');
  return text.replace(/[.,;:]+$/, '').trim();
}

function pathOf(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!KNOWN_HOSTS.has(url.hostname.toLowerCase().replace(/^www\./, ''))) return null;
  const match = URL_PATH.exec(url.pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

function newStyle(text: string): string | null {
  const match = NEW_STYLE.exec(text);
  if (!match) return null;
  const [, yy, mm, number] = match as unknown as [string, string, string, string];
  const yymm = Number(`${yy}${mm}`);
  if (!validMonth(mm) || yymm < 704) return null;
  // Four-digit sequence numbers until December 2014, five from January 2015.
  if (number.length !== (yymm >= 1501 ? 5 : 4)) return null;
  return `${yy}${mm}.${number}`;
}

function oldStyle(text: string): string | null {
  const match = OLD_STYLE.exec(text);
  if (!match) return null;
  const [, archive, yy, mm, number] = match as unknown as [string, string, string, string, string];
  const year = Number(yy) >= 91 ? 1900 + Number(yy) : 2000 + Number(yy);
  // The old scheme ran from August 1991 to March 2007.
  if (!validMonth(mm) || year > 2007 || (year === 2007 && Number(mm) > 3)) return null;
  return `${archive.toLowerCase()}/${yy}${mm}${number}`;
}

function validMonth(mm: string): boolean {
  const month = Number(mm);
  return month >= 1 && month <= 12;
}
