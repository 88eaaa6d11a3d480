import type { Config } from '../config.js';
import type { ComponentHealth } from '../health.js';
import { redactUrl } from '../http/redact-url.js';
import { describeLlmError, OPENAI_DEFAULT_BASE_URL, type LlmClient } from './llm-client.js';

/**
 * Whether the configured LLM can answer, from `GET /models` (free, unlike a completion): a wrong
 * OPENAI_BASE_URL, a rejected key or a model the server lacks are named here instead of surfacing as
 * fallback summaries later.
 */
export async function checkLlmConnection(llm: LlmClient, config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'>): Promise<ComponentHealth> {
  const where = `OPENAI_BASE_URL=${redactUrl(config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL)}`;
  let models: string[];
  try {
    models = await llm.listModels();
  } catch (error) {
    const failure = describeLlmError(error, config.OPENAI_API_KEY);
    const detail =
      failure.status === 401 || failure.status === 403
        ? `the server at ${where} rejected OPENAI_API_KEY (HTTP ${failure.status})`
        : failure.status === 404
          ? `${where} answered 404 to GET /models; the base URL usually ends in /v1`
          : failure.status !== null
            ? `${where} answered HTTP ${failure.status} to GET /models`
            : `${where} is unreachable (${failure.message})`;
    return { state: 'failed', detail: `${detail}; summaries fall back to Hugging Face's or the abstract's` };
  }
  if (models.length > 0 && !models.includes(config.OPENAI_MODEL)) {
    // Model ids are the server's text: printable ASCII only, each cut short, before they reach a terminal.
    const shown = models.slice(0, 5).map((id) => id.replace(/[^\x20-\x7e]/g, '?').slice(0, 60)).join(', ') + (models.length > 5 ? ', …' : '');
    return { state: 'failed', detail: `OPENAI_MODEL=${config.OPENAI_MODEL} is not served at ${where} (it has ${shown})` };
  }
  return { state: 'ready', detail: `${config.OPENAI_MODEL} at ${redactUrl(config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL)}` };
}
