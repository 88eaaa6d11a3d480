import { styleFor } from '../../adapters/console/style.js';
import { createApp, type App } from '../app.js';
import { errorMessage } from '../errors.js';
import type { ComponentHealth } from '../health.js';
import { redactUrl } from '../http/redact-url.js';
import { DAY_MS } from '../time.js';
import { EXIT, ExitError } from './exit.js';
import { loadConfig, loggerFor } from './runtime.js';

/**
 * `paperboy doctor`: one line per configured connection (store, Hugging Face, arXiv, LLM, Slack, Discord), each `ok`,
 * `off` or `FAIL` with what to fix. Exit 1 when any check fails, so it can gate a deploy.
 */
export async function runDoctorCommand(): Promise<void> {
  const config = loadConfig();
  const logger = loggerFor(config, process.env.LOG_LEVEL ? config.LOG_LEVEL : 'silent');
  let app: App;
  try {
    app = createApp(config, { logger });
  } catch (error) {
    printLine('store', { state: 'failed', detail: errorMessage(error) });
    throw new ExitError(EXIT.failure, '');
  }
  let failed = 0;
  const report = (name: string, health: ComponentHealth) => {
    if (health.state === 'failed') failed++;
    printLine(name, health);
  };
  try {
    report('store', await checkStore(app));
    report('huggingface', await checkHuggingFace(app));
    report('arxiv', await checkArxiv(app));
    report('llm', await app.summariser.checkConnection());
    const enabled = config.platforms.filter((platform) => platform.enabled);
    for (const platform of enabled) report(platform.descriptor.name, await (await platform.descriptor.load()).checkConnection(platform.settings, logger));
    if (enabled.length === 0) report('platforms', { state: 'off', detail: 'none configured (no platform token set): `paperboy start` previews digests in the terminal' });
  } finally {
    await app.close();
  }
  if (failed > 0) throw new ExitError(EXIT.failure, `${failed} check${failed === 1 ? '' : 's'} failed.`);
}

async function checkStore(app: App): Promise<ComponentHealth> {
  const health = await app.store.health({ thorough: true });
  if (!health.ok) return { state: 'failed', detail: `DATABASE_URL: ${health.detail}` };
  const [papers, lastSync] = await Promise.all([app.store.countPapers(), app.store.lastSync()]);
  const synced = lastSync ? `last sync ${lastSync.syncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never synced (run `paperboy sync`)';
  return { state: 'ready', detail: `${health.detail}: ${papers.toLocaleString('en-US')} papers, ${synced}` };
}

async function checkHuggingFace(app: App): Promise<ComponentHealth> {
  const where = `HF_API_URL=${redactUrl(app.config.HF_API_URL)}`;
  const day = app.clock().toISOString().slice(0, 10);
  try {
    const listings = await app.source.dailyPapers(day);
    return { state: 'ready', detail: `${where}: ${listings.length} papers listed for ${day}${app.config.HF_TOKEN ? ' (with HF_TOKEN)' : ''}` };
  } catch (error) {
    return { state: 'failed', detail: `${where}: ${errorMessage(error)}` };
  }
}

async function checkArxiv(app: App): Promise<ComponentHealth> {
  if (!app.arxiv) return { state: 'off', detail: 'ARXIV_CATEGORIES not set (Hugging Face is the only source)' };
  const where = `ARXIV_API_URL=${redactUrl(app.config.ARXIV_API_URL)}`;
  const since = new Date(app.clock().getTime() - DAY_MS);
  try {
    // The first page answers whether arXiv is there; the rest is the sync's business.
    for await (const page of app.arxiv.submissionsSince(since)) {
      return { state: 'ready', detail: `${where}: ${app.arxiv.categories.join(', ')}, ${page.totalResults.toLocaleString('en-US')} papers listed` };
    }
    return { state: 'ready', detail: `${where}: no answer pages` };
  } catch (error) {
    return { state: 'failed', detail: `${where}: ${errorMessage(error)}` };
  }
}

const LABELS: Record<ComponentHealth['state'], string> = { ready: 'ok', off: 'off', failed: 'FAIL', starting: '…', reconnecting: '…', stopped: 'off' };

function printLine(name: string, health: ComponentHealth): void {
  const style = styleFor(process.stdout);
  const label = LABELS[health.state].padEnd(4);
  const colour = health.state === 'failed' ? style.red : health.state === 'ready' ? style.green : style.dim;
  process.stdout.write(`${colour(label)}  ${name.padEnd(11)}  ${health.detail ?? ''}\n`);
}
