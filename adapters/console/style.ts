/** ANSI styling, on only when writing to a TTY (and NO_COLOR is unset). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const ansiStyle: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
  yellow: wrap(33, 39),
};

const identity = (text: string) => text;
export const plainStyle: Style = { bold: identity, dim: identity, red: identity, green: identity, cyan: identity, yellow: identity };

export function styleFor(stream: NodeJS.WritableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? ansiStyle : plainStyle;
}

/**
 * Third-party text (titles, abstracts, LLM output) must not drive the terminal: drop control characters,
 * including ESC and the C1 range, so a title can't recolour, move the cursor or retitle the window.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}
