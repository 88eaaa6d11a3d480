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

export function goalResults(): readonly GoalResult[] {
  return results;
}
