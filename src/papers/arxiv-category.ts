/**
 * arXiv category names as the API's `cat:` field takes them: `cs.CL`, `stat.ML`, `astro-ph.CO`, `cond-mat.str-el`,
 * `hep-th`. Case matters to arXiv (`cat:cs.cl` finds nothing), so a lower-case `cs.cl` is refused, not guessed.
 */

/** Archives whose subject classes are two capital letters (`cs.CL`). */
const CAPITAL_SUBJECTS = new Set(['astro-ph', 'cs', 'econ', 'eess', 'math', 'nlin', 'q-bio', 'q-fin', 'stat']);
/** Archives whose subject classes are lower-case words (`cond-mat.str-el`, `physics.comp-ph`). */
const WORD_SUBJECTS = new Set(['cond-mat', 'physics']);
/** Archives that are categories by themselves. */
const WHOLE_ARCHIVES = new Set(['astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math-ph', 'nucl-ex', 'nucl-th', 'quant-ph']);

const CATEGORY = /^([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z]+(?:-[a-z]+)?))?$/;

export function isArxivCategory(name: string): boolean {
  const match = CATEGORY.exec(name);
  if (!match) return false;
  const [, archive, subject] = match as unknown as [string, string, string | undefined];
  if (subject === undefined) return WHOLE_ARCHIVES.has(archive);
  if (CAPITAL_SUBJECTS.has(archive)) return /^[A-Z]{2}$/.test(subject);
  return WORD_SUBJECTS.has(archive) && /^[a-z]+(?:-[a-z]+)?$/.test(subject);
}

/** A comma list of categories, trimmed, duplicates dropped, in the order given. */
export function splitCategories(list: string): string[] {
  return [...new Set(list.split(',').map((item) => item.trim()).filter(Boolean))];
}
