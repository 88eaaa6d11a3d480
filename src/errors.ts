/**
 * Errors that cross module boundaries carry a stable `code`, what failed, and a short message fit for a user.
 * `userMessage` never contains secrets or unescaped third-party text.
 */
export class PaperboyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { userMessage?: string; retryAfterMs?: number; cause?: unknown; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PaperboyError';
  }

  get userMessage(): string {
    return this.options.userMessage ?? this.message;
  }
}

/** Bad input from a user or operator: exit code 2 on the CLI, a usage reply in chat. */
export class UsageError extends PaperboyError {
  constructor(message: string) {
    super('usage', message, { userMessage: message });
    this.name = 'UsageError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
