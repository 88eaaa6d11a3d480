import { Command, CommanderError, Option } from 'commander';
import { createPlatformAdapters, publisherForChannel } from '../adapters/index.js';
import { errorMessage, PaperboyError, UsageError } from './errors.js';
import { runDigestCommand } from './cli/digest-command.js';
import { channelOption, dayOption, offsetOption, positiveIntOption } from './cli/options.js';
import { EXIT, ExitError } from './cli/runtime.js';
import { runSearchCommand } from './cli/search-command.js';
import { runStartCommand } from './cli/start-command.js';
import { runSummaryCommand } from './cli/summary-command.js';
import { runSyncCommand } from './cli/sync-command.js';
import { runRegisterCommandsCommand } from './cli/register-commands-command.js';

const program = new Command('paperboy')
  .description("Trending ML papers from Hugging Face Daily Papers, in your team's Slack and Discord.")
  .exitOverride()
  .showHelpAfterError('(run paperboy --help for usage)');

program
  .command('start')
  .description('run the bot: platform adapters, schedules and the HTTP server (no tokens: a terminal preview)')
  .action(() => runStartCommand(createPlatformAdapters));

program
  .command('digest')
  .description("build a day's digest and print it, or post it to a channel")
  .addOption(new Option('--date <YYYY-MM-DD>', 'HF day (default: the latest day with papers)').argParser(dayOption))
  .addOption(new Option('--channel <platform:id>', 'post to slack:C… or discord:…').argParser(channelOption))
  .option('--dry-run', 'print instead of posting', false)
  .option('--force', 'post again even if this day was already delivered', false)
  .option('--json', 'print JSON', false)
  .action((options) => runDigestCommand(options, publisherForChannel));

program
  .command('search')
  .description('search papers: words AND, "phrases", a OR b, -exclude, author:"Name"')
  .argument('<query...>')
  .addOption(new Option('--limit <n>', 'results').default(10).argParser(positiveIntOption(100)))
  .addOption(new Option('--offset <n>', 'skip results (paging)').default(0).argParser(offsetOption))
  .option('--json', 'print JSON', false)
  .action((words: string[], options) => runSearchCommand(words, options));

program
  .command('summary')
  .description('summarise one paper (arXiv id, arxiv.org or huggingface.co/papers link)')
  .argument('<paper>')
  .option('--json', 'print JSON', false)
  .action((paper: string, options) => runSummaryCommand(paper, options));

program
  .command('sync')
  .description('ingest Hugging Face Daily Papers days into the store (default: the last 30 days)')
  .addOption(new Option('--from <YYYY-MM-DD>').argParser(dayOption))
  .addOption(new Option('--to <YYYY-MM-DD>').argParser(dayOption))
  .action((options) => runSyncCommand(options));

program
  .command('register-commands')
  .description('register the /papers slash command with Discord (idempotent)')
  .option('--guild <id>', 'register in one server only (instant) instead of globally')
  .action((options) => runRegisterCommandsCommand(options));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they already printed.
    return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ExitError) {
    if (error.message) process.stderr.write(`paperboy: ${oneLine(error.message)}\n`);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`paperboy: ${oneLine(error.message)}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`paperboy: ${oneLine(error instanceof PaperboyError ? error.userMessage : errorMessage(error))}\n`);
  return EXIT.failure;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
