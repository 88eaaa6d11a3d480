/**
 * Where a channel's daily digest comes from: Hugging Face's trending list (`hf`, the default), the newest arXiv
 * papers Hugging Face has not listed (`arxiv`), or both in one digest (`both`).
 */
export const DIGEST_SOURCES = ['hf', 'arxiv', 'both'] as const;
export type DigestSource = (typeof DIGEST_SOURCES)[number];

export function isDigestSource(value: string): value is DigestSource {
  return (DIGEST_SOURCES as readonly string[]).includes(value);
}

/** What the digest really holds: arXiv papers only reach the store when ARXIV_CATEGORIES is set. */
export function effectiveSource(source: DigestSource | null | undefined, arxivCategories: readonly string[]): DigestSource {
  return source && arxivCategories.length > 0 ? source : 'hf';
}

/** `Hugging Face Daily Papers`, `arXiv`, or both: where a digest's papers come from, as adapters show it. */
export function sourceLabel(source: DigestSource | undefined): string {
  if (source === 'arxiv') return 'arXiv';
  if (source === 'both') return 'Hugging Face Daily Papers and arXiv';
  return 'Hugging Face Daily Papers';
}

/** The categories as a header shows them: `cs.CL, cs.LG`, or the first three and how many more. */
export function categoriesLabel(categories: readonly string[]): string {
  const shown = categories.slice(0, 3).join(', ');
  return categories.length > 3 ? `${shown} +${categories.length - 3}` : shown;
}
