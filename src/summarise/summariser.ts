import type { Config } from '../config.js';
import type { ComponentHealth } from '../health.js';
import { errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Paper } from '../papers/paper.js';
import type { LlmUsageStore, SummaryCache } from '../store/store.js';
import { systemClock, type Clock } from '../time.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { fallbackSummary } from './fallback.js';
import { checkLlmConnection } from './llm-check.js';
import { createOpenAiClient, describeLlmError, redactSecrets, type LlmClient } from './llm-client.js';
import { parseLlmOutput } from './output.js';
import { DEFAULT_LANGUAGE, isDefaultLanguage, languageName } from './language.js';
import { loadPrompts, renderPrompts, type SummaryPrompts } from './prompts.js';
import { cleanText } from './text.js';
import type { SummaryProvider } from './port.js';
import { SingleFlight } from './single-flight.js';
import { createTokenBudget } from './token-budget.js';
import { FALLBACK_EXPLANATIONS, type FallbackReason, type Summary, type SummaryCacheKey } from './summary.js';
import { formatWorkspace, type Workspace } from '../workspace.js';

export type { FallbackReason };

export interface Summariser extends SummaryProvider {
  /**
   * The LLM summary in `language` (cached per paper, model, prompt and language), or a fallback; never rejects. A
   * fresh call is charged to `workspace`, and skipped (fallback `budget_exhausted`, not cached) when it used its
   * daily budget.
   */
  summarise(paper: Paper, workspace: Workspace, language?: string): Promise<Summary>;
  /** Summary without any network call: cached LLM summary if present, else the fallback. */
  quickSummary(paper: Paper, language?: string): Promise<Summary>;
  /** True when summarise() would call the LLM (LLM on, nothing cached, budget left) — adapters use it to decide whether to defer. */
  needsLlmCall(paper: Paper, workspace: Workspace, language?: string): Promise<boolean>;
  /** The LLM model, or null when the LLM is off. */
  readonly model: string | null;
  /** sha256 of the prompt files, or null when the LLM is off. */
  readonly promptHash: string | null;
  /** Asks the server which models it has (never a completion): `off`, `ready`, or `failed` naming the setting. */
  checkConnection(): Promise<ComponentHealth>;
}

export type SummariserEvent =
  | {
      type: 'llm_call';
      workspace: Workspace;
      promptTokens: number;
      completionTokens: number;
      /** Charged to the workspace's budget; `estimated` when the server reported no usage. */
      totalTokens: number;
      estimated: boolean;
      ok: boolean;
      durationMs: number;
    }
  /** A call not made because the workspace used its daily token budget (a `fallback` event follows). */
  | { type: 'budget_exhausted'; workspace: Workspace }
  | { type: 'cache_hit' }
  /** A caller that shared a summary already being made for another caller. */
  | { type: 'coalesced' }
  | { type: 'fallback'; reason: FallbackReason; source: 'hf' | 'abstract' };

export type SummariserConfig = Pick<Config, 'llmEnabled' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'> & Partial<Pick<Config, 'LLM_DAILY_TOKEN_BUDGET'>>;

export interface SummariserOptions {
  config: SummariserConfig;
  cache: SummaryCache;
  /** Where each workspace's tokens are counted per UTC day (the store); required with a budget. */
  usage?: LlmUsageStore;
  logger?: Logger;
  clock?: Clock;
  onEvent?: (event: SummariserEvent) => void;
  /** Folder holding summary.system.txt and summary.user.txt; default `prompts/`. */
  promptsDir?: string;
  /** Per attempt; default 30 s (the openai client's own default is 10 minutes). */
  timeoutMs?: number;
  /** Retries of 408/409/429/5xx/connection errors/timeouts; default 1. */
  maxRetries?: number;
  /** Default 700: a summary needs about 350. */
  maxTokens?: number;
  /** Default 0.2. */
  temperature?: number;
  /** Default: open after 3 consecutive failed calls, for 60 s. */
  breaker?: Partial<CircuitBreakerOptions>;
  /** After a failed or invalid reply for a paper, serve its fallback this long before asking again; default 15 min. */
  retryPaperAfterMs?: number;
  /** Replaces the OpenAI client (the tests use a real one against a local fake server). */
  llmClient?: LlmClient;
}

const DEFAULTS = {
  timeoutMs: 30_000,
  maxRetries: 1,
  maxTokens: 700,
  temperature: 0.2,
  failureThreshold: 3,
  cooldownMs: 60_000,
  retryPaperAfterMs: 15 * 60_000,
};
const MAX_REMEMBERED_FAILURES = 10_000;

export function createSummariser(options: SummariserOptions): Summariser {
  const { config, cache } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  if (!config.llmEnabled) return offlineSummariser(options, logger);

  const model = config.OPENAI_MODEL;
  const prompts: SummaryPrompts = loadPrompts(options.promptsDir);
  const llm =
    options.llmClient ??
    createOpenAiClient({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model,
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      maxTokens: options.maxTokens ?? DEFAULTS.maxTokens,
      temperature: options.temperature ?? DEFAULTS.temperature,
    });
  const breakerOptions: CircuitBreakerOptions = {
    failureThreshold: options.breaker?.failureThreshold ?? DEFAULTS.failureThreshold,
    cooldownMs: options.breaker?.cooldownMs ?? DEFAULTS.cooldownMs,
  };
  const breaker = new CircuitBreaker(breakerOptions, clock);
  const retryPaperAfterMs = options.retryPaperAfterMs ?? DEFAULTS.retryPaperAfterMs;
  const failedUntil = new Map<string, number>();
  const flights = new SingleFlight<Summary>();
  const emit = eventEmitter(options.onEvent, logger);
  const budget = createTokenBudget({ usage: options.usage, limit: config.LLM_DAILY_TOKEN_BUDGET, clock, logger });

  const keyFor = (paper: Paper, language = DEFAULT_LANGUAGE): SummaryCacheKey => ({ paperId: paper.id, model, promptHash: prompts.hash, language });
  const idOf = (key: SummaryCacheKey) => `${key.paperId}\u0000${key.model}\u0000${key.promptHash}\u0000${key.language}`;

  const fallback = (paper: Paper, reason: FallbackReason, language: string, workspace?: Workspace): Summary => {
    const summary: Summary = { ...languageFallback(paper, language), fallback: reason };
    emit({ type: 'fallback', reason, source: summary.source === 'hf' ? 'hf' : 'abstract' });
    const payer = workspace ? { workspace: formatWorkspace(workspace) } : {};
    if (reason !== 'not_cached') logger.info({ paperId: paper.id, ...payer, reason, why: FALLBACK_EXPLANATIONS[reason], source: summary.source }, 'summary without the LLM');
    return summary;
  };

  const readCache = async (key: SummaryCacheKey): Promise<Summary | null> => {
    try {
      return await cache.getSummary(key);
    } catch (error) {
      logger.warn({ paperId: key.paperId, err: errorMessage(error) }, 'summary cache read failed; treating as a miss');
      return null;
    }
  };

  const recentlyFailed = (id: string): boolean => {
    const until = failedUntil.get(id);
    if (until === undefined) return false;
    if (clock().getTime() < until) return true;
    failedUntil.delete(id);
    return false;
  };

  const rememberFailure = (id: string) => {
    failedUntil.delete(id);
    failedUntil.set(id, clock().getTime() + retryPaperAfterMs);
    if (failedUntil.size > MAX_REMEMBERED_FAILURES) failedUntil.delete(failedUntil.keys().next().value!);
  };

  async function summariseWithLlm(paper: Paper, key: SummaryCacheKey, workspace: Workspace): Promise<Summary> {
    const cached = await readCache(key);
    if (cached) {
      emit({ type: 'cache_hit' });
      return cached;
    }
    const id = idOf(key);
    if (!hasAbstract(paper)) return fallback(paper, 'no_abstract', key.language);
    if (recentlyFailed(id)) return fallback(paper, 'recent_failure', key.language);
    // Neither cached nor remembered as a failure: tomorrow, or a workspace with budget left, gets the LLM's summary.
    if (await budget.usedUp(workspace)) {
      emit({ type: 'budget_exhausted', workspace });
      return fallback(paper, 'budget_exhausted', key.language, workspace);
    }
    const messages = renderPrompts(prompts, paper, languageName(key.language));
    if (!breaker.allow()) return fallback(paper, 'circuit_open', key.language);

    const started = performance.now();
    let completion;
    try {
      completion = await llm.complete(messages);
    } catch (error) {
      const failure = describeLlmError(error, config.OPENAI_API_KEY);
      const opened = breaker.recordFailure();
      rememberFailure(id);
      // A failed call is not charged: the server reports no usage for it.
      emit({ type: 'llm_call', workspace, promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false, ok: false, durationMs: elapsed(started) });
      logger.warn({ paperId: paper.id, model, reason: failure.reason, status: failure.status, err: failure.message }, 'LLM summary failed; using the fallback');
      if (opened) logger.warn({ model, cooldownMs: breakerOptions.cooldownMs }, 'LLM keeps failing; pausing LLM calls');
      return fallback(paper, failure.reason, key.language);
    }
    breaker.recordSuccess(); // the server answered; whether the answer is usable is the paper's problem
    // Charged whether or not the answer is usable: the tokens were spent.
    await budget.charge(workspace, completion.totalTokens);
    const parsed = parseLlmOutput(completion.content);
    emit({
      type: 'llm_call',
      workspace,
      promptTokens: completion.promptTokens,
      completionTokens: completion.completionTokens,
      totalTokens: completion.totalTokens,
      estimated: completion.estimated,
      ok: parsed.ok,
      durationMs: elapsed(started),
    });
    if (!parsed.ok) {
      rememberFailure(id);
      logger.warn({ paperId: paper.id, model, problem: parsed.problem, finishReason: completion.finishReason }, 'LLM summary rejected; using the fallback');
      return fallback(paper, 'invalid_output', key.language);
    }
    failedUntil.delete(id);
    if (parsed.form !== 'json') logger.info({ paperId: paper.id, model, form: parsed.form }, parsed.form === 'prose' ? 'LLM answered in prose; using it as the TL;DR' : 'LLM wrapped its JSON in other text; using the JSON');
    const summary: Summary = { ...parsed.summary, source: 'llm', model };
    try {
      await cache.putSummary(key, summary, clock());
    } catch (error) {
      logger.warn({ paperId: paper.id, err: errorMessage(error) }, 'summary cache write failed');
    }
    return summary;
  }

  return {
    model,
    promptHash: prompts.hash,
    checkConnection: () => checkLlmConnection(llm, config),

    async summarise(paper, workspace, language) {
      const key = keyFor(paper, language);
      const attempt = async () => {
        try {
          return await summariseWithLlm(paper, key, workspace);
        } catch (error) {
          // Defensive: a summary request never fails.
          logger.error({ paperId: paper.id, err: redactSecrets(errorMessage(error), config.OPENAI_API_KEY) }, 'summariser failed unexpectedly');
          return fallback(paper, 'llm_error', key.language);
        }
      };
      const { promise, joined } = flights.run(idOf(key), attempt);
      if (!joined) return promise;
      const shared = await promise;
      // The caller that started it was out of budget; this caller's workspace may not be.
      if (shared.fallback === 'budget_exhausted') return attempt();
      emit({ type: 'coalesced' });
      return copy(shared);
    },

    async quickSummary(paper, language = DEFAULT_LANGUAGE) {
      const cached = await readCache(keyFor(paper, language));
      if (cached) {
        emit({ type: 'cache_hit' });
        return cached;
      }
      return fallback(paper, 'not_cached', language);
    },

    async needsLlmCall(paper, workspace, language) {
      const key = keyFor(paper, language);
      const id = idOf(key);
      if (flights.has(id)) return true;
      if (await readCache(key)) return false;
      return hasAbstract(paper) && !recentlyFailed(id) && breaker.wouldAllow() && !(await budget.usedUp(workspace));
    },
  };
}

/** No LLM configured: every summary is the fallback, nothing is cached, nothing goes over the network. */
function offlineSummariser(options: SummariserOptions, logger: Logger): Summariser {
  const emit = eventEmitter(options.onEvent, logger);
  const fallback = async (paper: Paper, language = DEFAULT_LANGUAGE): Promise<Summary> => {
    const summary = languageFallback(paper, language);
    emit({ type: 'fallback', reason: 'llm_disabled', source: summary.source === 'hf' ? 'hf' : 'abstract' });
    return summary;
  };
  return {
    model: null,
    promptHash: null,
    summarise: (paper, _workspace, language) => fallback(paper, language),
    quickSummary: fallback,
    needsLlmCall: async () => false,
    checkConnection: async () => ({ state: 'off', detail: 'no OPENAI_API_KEY or OPENAI_BASE_URL: summaries come from Hugging Face or the abstract' }),
  };
}

function eventEmitter(onEvent: SummariserOptions['onEvent'], logger: Logger): (event: SummariserEvent) => void {
  return (event) => {
    if (!onEvent) return;
    try {
      onEvent(event);
    } catch (error) {
      logger.warn({ err: errorMessage(error), event: event.type }, 'summariser event listener threw');
    }
  };
}

/** Below this many characters of abstract the LLM would be summarising a title. */
const MIN_ABSTRACT_CHARS = 80;

function hasAbstract(paper: Paper): boolean {
  return cleanText(paper.abstract).length >= MIN_ABSTRACT_CHARS;
}

/** HF's or the abstract's English; marked when the channel asked for another language, so no reply claims it. */
function languageFallback(paper: Paper, language: string): Summary {
  const summary = fallbackSummary(paper);
  return isDefaultLanguage(language) ? summary : { ...summary, untranslated: language };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function copy(summary: Summary): Summary {
  return { ...summary, keyPoints: [...summary.keyPoints] };
}
