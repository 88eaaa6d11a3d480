import { existsSync, readFileSync } from 'node:fs';

/**
 * Minimal `.env` reader: KEY=value lines, optional quotes, `#` comments.
 * Values already in the environment win, as with dotenv.
 */
export function loadEnvFile(path = '.env', env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return;
  for (const [key, value] of parseEnvText(readFileSync(path, 'utf8'))) {
    if (env[key] === undefined) env[key] = value;
  }
}

export function parseEnvText(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    entries.set(match[1]!, value);
  }
  return entries;
}
