/**
 * `npm run bench` runs every scenario; `npm run bench -- <name> [args…]` runs one; `-- --list` lists them.
 * Adding a scenario is one line here: a name and a lazy import of a module whose default export is a
 * BenchScenario (bench/lib/scenario.ts).
 */
import { goalResults, startScenario, YES_NO } from './lib/goals.js';
import type { BenchScenario } from './lib/scenario.js';

const SCENARIOS: Record<string, () => Promise<{ default: BenchScenario }>> = {
  search: () => import('./search/scenario.js'),
  'discord-fanout': () => import('./discord-fanout.js'),
  'fanout-1000': () => import('./fanout-1000.js'),
  'slack-fanout': () => import('./slack-fanout.js'),
  'cold-start': () => import('./cold-start.js'),
  alerts: () => import('./alerts.js'),
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--list' || name === '--help' || name === '-h') {
    for (const [key, load] of Object.entries(SCENARIOS)) console.log(`${key.padEnd(14)} ${(await load()).default.description}`);
    return 0;
  }
  if (name !== undefined && !name.startsWith('-') && !(name in SCENARIOS)) {
    console.error(`unknown scenario "${name}"; one of: ${Object.keys(SCENARIOS).join(', ')}`);
    return 2;
  }
  const selected = name !== undefined && !name.startsWith('-') ? [name] : Object.keys(SCENARIOS);
  const rest = name !== undefined && !name.startsWith('-') ? args : argv;
  for (const key of selected) {
    const scenario = (await SCENARIOS[key]!()).default;
    console.log(`\n## ${key}: ${scenario.description}\n`);
    startScenario(key);
    await scenario.run(rest);
  }
  const results = goalResults();
  const missed = results.filter((result) => !result.met);
  console.log(`\n## goals: ${results.length - missed.length} of ${results.length} met`);
  for (const miss of missed) {
    console.log(miss.unit === YES_NO ? `MISS ${miss.scenario}: ${miss.what}` : `MISS ${miss.scenario}: ${miss.what} ${Math.round(miss.measured * 10) / 10} ${miss.unit} (goal ≤ ${miss.limit} ${miss.unit})`);
  }
  return missed.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
