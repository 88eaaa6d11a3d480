/** A bench scenario: `npm run bench -- <name> [args…]` runs one, `npm run bench` runs them all. */
export interface BenchScenario {
  description: string;
  /** `args` are the command-line arguments after the scenario name. */
  run(args: readonly string[]): Promise<void>;
}
