import { renderDigest } from '../../adapters/console/render.js';
import { styleFor } from '../../adapters/console/style.js';
import { CONSOLE_CHANNEL, formatChannelRef, type ChannelRef } from '../channel.js';
import { channelSettings } from '../commands/settings.js';
import { outcomeText } from '../commands/post-digest-here.js';
import { deliverDigest } from '../delivery/deliver-digest.js';
import { buildArxivDigestNow } from '../digest/build-arxiv-digest.js';
import { buildDailyDigest } from '../digest/build-digest.js';
import { effectiveSource } from '../digest/digest-source.js';
import { formatDayLabel } from '../time.js';
import { LOCAL_WORKSPACE } from '../workspace.js';
import { ensureSynced } from './ensure-synced.js';
import { EXIT, ExitError } from './exit.js';
import { openOneShotApp, writeJson } from './runtime.js';

export interface DigestCommandOptions {
  date?: string;
  channel?: ChannelRef;
  dryRun: boolean;
  json: boolean;
  force: boolean;
}

/**
 * Without --channel (or with --dry-run) the digest is printed, never recorded, so a preview can be repeated.
 * With --channel it is posted there through the delivery ledger: a day already delivered is reported, not
 * reposted, unless --force.
 */
export async function runDigestCommand(options: DigestCommandOptions): Promise<void> {
  const app = openOneShotApp();
  try {
    const channel = options.channel ?? CONSOLE_CHANNEL;
    const settings = await channelSettings(app.commands, channel);
    const syncError = await ensureSynced(app, options.date, settings.timeZone);
    const posting = channel.platform !== 'console' && !options.dryRun;
    // The command line is its operator's own workspace for the token budget, also when it posts to a channel.
    const deps = { store: app.store, summariser: app.summariser, clock: app.clock };
    const source = effectiveSource(settings.source, app.config.ARXIV_CATEGORIES);
    // As `/papers digest`: a day asked for by name is Hugging Face's; otherwise what the channel's schedule would post.
    const digest =
      options.date || source === 'hf'
        ? await buildDailyDigest(deps, { channel, workspace: LOCAL_WORKSPACE, size: settings.size, timeZone: settings.timeZone, day: options.date, skipReceived: posting && !options.force, language: settings.language })
        : await buildArxivDigestNow(deps, { channel, workspace: LOCAL_WORKSPACE, settings, source, categories: app.config.ARXIV_CATEGORIES });
    if (!digest) {
      if (syncError) throw new ExitError(EXIT.failure, `No papers stored and Hugging Face is unreachable: ${syncError}`);
      process.stdout.write(options.date ? `No papers are listed for ${formatDayLabel(options.date)}.\n` : 'No papers yet.\n');
      return;
    }
    if (!posting) {
      if (options.json) writeJson(digest);
      else if (digest.items.length === 0) process.stdout.write(`No papers are listed for ${formatDayLabel(digest.day)}.\n`);
      else process.stdout.write(`${renderDigest(digest, styleFor(process.stdout))}\n`);
      return;
    }
    const publisher = await app.publisherFor(channel);
    const outcome = await deliverDigest({ ledger: app.store, publisher, clock: app.clock, logger: app.logger, lease: app.commands.lease }, channel, digest, { force: options.force });
    const text = outcomeText(outcome, digest, `to ${formatChannelRef(channel)}`);
    const message = outcome.status === 'already_delivered' ? `${text} Use --force to post it again.` : text;
    if (options.json) writeJson({ digest, outcome });
    else process.stdout.write(`${message}\n`);
  } finally {
    await app.close();
  }
}
