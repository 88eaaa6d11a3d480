import { PLATFORMS } from '../../adapters/index.js';
import { createApp, type App } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { cliSyntax } from '../commands/syntax.js';
import { loadEnvFile } from '../env-file.js';
import { createLogger, type Logger } from '../logger.js';
import { EXIT, ExitError } from './exit.js';

/** The settings of the core and every platform in the adapter list, from the environment (and `.env`). */
export function loadConfig(): Config {
  loadEnvFile();
  try {
    return parseConfig(process.env, PLATFORMS);
  } catch (error) {
    if (error instanceof ConfigError) throw new ExitError(EXIT.usage, `${error.message}. See .env.example.`);
    throw error;
  }
}

/** A logger at `level` that redacts every secret setting the config knows of. */
export function loggerFor(config: Config, level: string): Logger {
  return createLogger(level, process.stderr, config.secrets);
}

/**
 * One-shot verbs log nothing unless LOG_LEVEL is set explicitly: their output is the answer on stdout, and
 * failures are one line on stderr.
 */
export function openOneShotApp(config: Config = loadConfig()): App {
  const app = createApp(config, { logger: loggerFor(config, process.env.LOG_LEVEL ? config.LOG_LEVEL : 'silent') });
  // Usage hints then name `paperboy search …`, not the chat's `/papers …`.
  app.commands.syntax = cliSyntax;
  return app;
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
