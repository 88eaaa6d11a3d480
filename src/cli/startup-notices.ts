import { styleFor } from '../../adapters/console/style.js';
import type { Logger } from '../logger.js';

/** Start-up facts worth a line: plain text in a terminal preview, structured logs when running as a service. */
export interface StartupNotices {
  info(line: string, fields?: Record<string, unknown>): void;
  warn(line: string, fields?: Record<string, unknown>): void;
}

export function startupNotices(terminal: NodeJS.WriteStream | null, logger: Logger): StartupNotices {
  if (!terminal) {
    return {
      info: (line, fields = {}) => logger.info(fields, line),
      warn: (line, fields = {}) => logger.warn(fields, line),
    };
  }
  const style = styleFor(terminal);
  return {
    info: (line) => terminal.write(`${style.dim(line)}\n`),
    warn: (line) => terminal.write(`${line}\n`),
  };
}
