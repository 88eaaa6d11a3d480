import { Command, CommanderError, Option } from 'commander';
import { PLATFORMS } from '../adapters/index.js';
import { errorMessage, PaperboyError, UsageError } from './errors.js';
import { channelOption, dayOption, offsetOption, positiveIntOption } from './cli/options.js';
import { EXIT, ExitError } from './cli/exit.js';
import { packageVersion } from './project-root.js';

// Each verb imports its module (and through it only the libraries it needs) when it runs: `search` never loads
// Bolt or discord.js, which alone cost ~0.5 s of start-up.
const program = new Command('paperboy')
  .description("Trending ML papers from Hugging Face Daily Papers, in your team's Slack and Discord.")
  .version(packageVersion(), '-V, --version')
  .exitOverride()
  .showHelpAfterError('(run paperboy --help for usage)');

program
  .command('start')
  .description('run the bot: platform adapters, schedules and the HTTP server (no tokens: a terminal preview)')
  .action(async () => (await import('./cli/start-command.js')).runStartCommand());

program
  .command('digest')
  .description("build a day's digest and print it, or post it to a channel")
  .addOption(new Option('--date <YYYY-MM-DD>', 'HF day (default: the latest day with papers)').argParser(dayOption))
  .addOption(new Option('--channel <platform:id>', 'post to slack:C… or discord:…').argParser(channelOption))
  .option('--dry-run', 'print instead of posting', false)
  .option('--force', 'post again even if this day was already delivered', false)
  .option('--json', 'print JSON', false)
  .action(async (options) => (await import('./cli/digest-command.js')).runDigestCommand(options));

program
  .command('search')
  .description('search papers: words AND, "phrases", a OR b, -exclude, author:"Name"')
  .argument('<query...>')
  .addOption(new Option('--limit <n>', 'results').default(10).argParser(positiveIntOption(100)))
  .addOption(new Option('--offset <n>', 'skip results (paging)').default(0).argParser(offsetOption))
  .option('--json', 'print JSON', false)
  // `-survey` is the query grammar's exclusion, not an option: unknown dashed words stay in the query.
  .allowUnknownOption()
  .action(async (words: string[], options) => (await import('./cli/search-command.js')).runSearchCommand(words, options));

program
  .command('summary')
  .description('summarise one paper (arXiv id, arxiv.org or huggingface.co/papers link)')
  .argument('<paper>')
  .option('--json', 'print JSON', false)
  .action(async (paper: string, options) => (await import('./cli/summary-command.js')).runSummaryCommand(paper, options));

program
  .command('sync')
  .description('ingest Hugging Face Daily Papers days into the store (default: the last 30 days), then new arXiv submissions when ARXIV_CATEGORIES is set')
  .addOption(new Option('--from <YYYY-MM-DD>').argParser(dayOption))
  .addOption(new Option('--to <YYYY-MM-DD>').argParser(dayOption))
  .action(async (options) => (await import('./cli/sync-command.js')).runSyncCommand(options));

program
  .command('doctor')
  .description('check every configured connection (store, Hugging Face, arXiv, LLM, Slack, Discord): one line each')
  .action(async () => (await import('./cli/doctor-command.js')).runDoctorCommand());

// Verbs of the platforms themselves (Discord's `register-commands`), from the adapter list.
for (const platform of PLATFORMS) {
  for (const verb of platform.verbs ?? []) {
    const command = program.command(verb.name).description(verb.description);
    for (const option of verb.options) command.option(option.flags, option.description);
    command.action(async (options: Record<string, unknown>) => (await import('./cli/platform-verb.js')).runPlatformVerb(platform, verb, options));
  }
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Exit now: a failed verb may leave a timer or socket behind (a half-started adapter), and a process that
  // failed must not linger looking alive.
  process.exit(exitCodeFor(error));
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they already printed.
    return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ExitError) {
    if (error.message) printError(error.message);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    printError(error.message);
    return EXIT.usage;
  }
  printError(error instanceof PaperboyError ? error.userMessage : errorMessage(error));
  return EXIT.failure;
}

/** One line on stderr, prefixed once: messages meant for chat often start with "paperboy" already. */
function printError(message: string): void {
  const line = message.replace(/\s+/g, ' ').trim();
  process.stderr.write(`${/^paperboy\b/i.test(line) ? line : `paperboy: ${line}`}\n`);
}
