import type OpenAI from 'openai';
import type * as OpenAiModule from 'openai';

// The openai package is loaded on the first call, not at start-up: it costs ~0.1 s that a CLI verb without an
// LLM (or a summary served from the cache) should not pay.
let openaiModule: typeof OpenAiModule | null = null;
async function loadOpenAi(): Promise<typeof OpenAiModule> {
  openaiModule ??= await import('openai');
  return openaiModule;
}

/** OpenAI's own endpoint; passed explicitly so the client never reads `OPENAI_BASE_URL` from process.env itself. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Local OpenAI-compatible servers often need no key, but the client insists on one. */
const PLACEHOLDER_KEY = 'no-key';

export interface LlmClientOptions {
  apiKey: string | undefined;
  baseURL: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  maxTokens: number;
  temperature: number;
}

export interface LlmRequest {
  system: string;
  user: string;
}

export interface LlmCompletion {
  content: string | null;
  finishReason: string | null;
  promptTokens: number;
  completionTokens: number;
  /** What the call cost, for the daily budget: the server's `usage.total_tokens`, else an estimate. */
  totalTokens: number;
  /** True when the server reported no usage and `totalTokens` is estimated from the text. */
  estimated: boolean;
}

export interface LlmClient {
  complete(request: LlmRequest): Promise<LlmCompletion>;
  /** The model ids the server lists (`GET /models`): a cheap check of the URL and the key. */
  listModels(): Promise<string[]>;
}

/** A chat-completions client for any OpenAI-compatible server, asking for the summary's JSON as strictly as it allows. */
export function createOpenAiClient(options: LlmClientOptions): LlmClient {
  let client: Promise<OpenAI> | null = null;
  let formatIndex = 0;
  const connect = () =>
    (client ??= loadOpenAi().then(
      ({ default: OpenAIClient }) =>
        new OpenAIClient({
          apiKey: options.apiKey ?? PLACEHOLDER_KEY,
          baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
          // Explicit nulls: otherwise the client falls back to OPENAI_ORG_ID / OPENAI_PROJECT_ID from process.env.
          organization: null,
          project: null,
          timeout: options.timeoutMs,
          maxRetries: options.maxRetries,
          logLevel: 'off',
        }),
    ));
  return {
    async listModels() {
      const models = await (await connect()).models.list({ maxRetries: 0, timeout: Math.min(options.timeoutMs, 10_000) });
      return models.data.map((model) => model.id);
    },
    async complete(request) {
      const openai = await connect();
      const create = (format: ResponseFormat) =>
        openai.chat.completions.create({
          model: options.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          ...(format === 'none' ? {} : { response_format: format === 'json_schema' ? SUMMARY_JSON_SCHEMA : { type: 'json_object' as const } }),
          max_tokens: options.maxTokens,
          temperature: options.temperature,
        });
      let completion;
      for (;;) {
        try {
          completion = await create(FORMATS[formatIndex]!);
          break;
        } catch (error) {
          // A server that doesn't know this response_format says so with a 400/422; ask it the next plainer way,
          // and keep asking that way (the parser reads prose and loose JSON too).
          if (formatIndex === FORMATS.length - 1 || !refusesFormat(error)) throw error;
          formatIndex++;
        }
      }
      const choice = completion.choices?.[0];
      const content = choice?.message?.content ?? null;
      const usage = completion.usage;
      const promptTokens = usage?.prompt_tokens ?? 0;
      const completionTokens = usage?.completion_tokens ?? 0;
      const reported = usage?.total_tokens ?? (usage ? promptTokens + completionTokens : 0);
      return {
        content,
        finishReason: choice?.finish_reason ?? null,
        promptTokens,
        completionTokens,
        // Some local servers report no usage; a call still costs, so guess: about 4 characters a token in English.
        totalTokens: reported > 0 ? reported : estimateTokens(request.system.length + request.user.length + (content?.length ?? 0)),
        estimated: reported <= 0,
      };
    },
  };
}

const CHARS_PER_TOKEN = 4;

function estimateTokens(characters: number): number {
  return Math.ceil(characters / CHARS_PER_TOKEN);
}

/** Structured output where the server supports it, then plain JSON mode, then nothing (the prompt still asks). */
const FORMATS = ['json_schema', 'json_object', 'none'] as const;
type ResponseFormat = (typeof FORMATS)[number];

/** The summary's JSON shape, for servers that constrain output to a schema (OpenAI, vLLM, llama.cpp, Ollama). */
const SUMMARY_JSON_SCHEMA = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'paper_summary',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['tldr', 'key_points', 'why_it_matters'],
      properties: {
        tldr: { type: 'string' },
        key_points: { type: 'array', items: { type: 'string' } },
        why_it_matters: { type: 'string' },
      },
    },
  },
};

function refusesFormat(error: unknown): boolean {
  if (!openaiModule || !(error instanceof openaiModule.APIError)) return false;
  return (error.status === 400 || error.status === 422) && /response_format|json_schema|json_object|structured output/i.test(error.message);
}

export interface LlmFailure {
  reason: 'timeout' | 'llm_error';
  status: number | null;
  /** Safe to log: the API key (and anything key-like) is redacted. */
  message: string;
}

/** What went wrong with a call, in terms fit for logs and metrics. */
export function describeLlmError(error: unknown, apiKey: string | undefined): LlmFailure {
  const reason = openaiModule && error instanceof openaiModule.APIConnectionTimeoutError ? 'timeout' : 'llm_error';
  const status = openaiModule && error instanceof openaiModule.APIError && typeof error.status === 'number' ? error.status : null;
  const raw = error instanceof Error ? error.message : String(error);
  return { reason, status, message: redactSecrets(raw, apiKey).slice(0, 300) };
}

/** Removes the key itself and key-shaped tokens (servers echo masked keys in 401 messages). */
export function redactSecrets(text: string, apiKey: string | undefined): string {
  let safe = text;
  if (apiKey && apiKey.length >= 4) safe = safe.split(apiKey).join('[redacted]');
  return safe.replace(/\b(?:sk|rk|pk)-[A-Za-z0-9_*.-]{4,}/g, '[redacted]');
}
