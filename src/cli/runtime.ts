import { createApp, type App } from '../app.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { loadEnvFile } from '../env-file.js';
import { cliSyntax } from '../commands/syntax.js';
import { createLogger } from '../logger.js';
import { EXIT, ExitError } from './exit.js';


export function loadConfig(): Config {
  loadEnvFile();
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ExitError(EXIT.usage, `${error.message}. See .env.example.`);
    throw error;
  }
}

/**
 * One-shot verbs log nothing unless LOG_LEVEL is set explicitly: their output is the answer on stdout, and
 * failures are one line on stderr.
 */
export function openOneShotApp(): App {
  const config = loadConfig();
  const level = process.env.LOG_LEVEL ? config.LOG_LEVEL : 'silent';
  const app = createApp(config, createLogger(level));
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
