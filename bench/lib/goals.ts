/**
 * Goals the benches check. Each scenario records what it measured against its goal; `npm run bench` prints every
 * miss at the end and exits 1, so a regression is a red run, not a number nobody reads.
 */
export interface GoalResult {
  scenario: string;
  what: string;
  measured: number;
  limit: number;
  unit: string;
  met: boolean;
}

/** The unit of yes/no goals (measured 0 = yes). */
export const YES_NO = 'yes/no';

const results: GoalResult[] = [];
let current = '';

export function startScenario(name: string): void {
  current = name;
}

/** Records `measured ≤ limit`; returns the PASS/MISS word for the scenario's own table. */
export function checkAtMost(what: string, measured: number, limit: number, unit = 'ms'): 'PASS' | 'MISS' {
  const met = measured <= limit;
  results.push({ scenario: current, what, measured, limit, unit, met });
  return met ? 'PASS' : 'MISS';
}

/** Records a yes/no requirement (such as "measured on the real paper texts"). */
export function checkThat(what: string, ok: boolean): 'PASS' | 'MISS' {
  return checkAtMost(what, ok ? 0 : 1, 0, YES_NO);
}

/**
 * Figures from generated text say little about real queries: a bench run without the real paper archive
 * (`../shared/data/hf-daily/papers.jsonl`, or PAPERBOY_BENCH_PAPERS) still prints them, but fails.
 */
export function checkRealTexts(source: string): void {
  const real = checkThat('measured on the real paper texts', !source.startsWith('built-in'));
  if (real === 'MISS') console.log(`\n!! No real paper texts (${source}): these figures come from a generated vocabulary; set PAPERBOY_BENCH_PAPERS.`);
}

export function goalResults(): readonly GoalResult[] {
  return results;
}
