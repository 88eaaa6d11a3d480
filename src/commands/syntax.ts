/**
 * How a user invokes a command where they are: `/papers …` in chat, `paperboy …` on the command line. Usage
 * hints are phrased through it, so the CLI never suggests chat syntax and chat never suggests a shell.
 */
export interface CommandSyntax {
  /** `verb` with `args` as the user would type it; `search` is the default verb in chat. */
  example(verb: 'search' | 'subscribe' | 'summary', args: string): string;
}

export const chatSyntax: CommandSyntax = {
  example: (verb, args) => `\`/papers ${verb === 'search' ? '' : `${verb} `}${args}\``,
};

export const cliSyntax: CommandSyntax = {
  example: (verb, args) => `\`paperboy ${verb} ${shellQuote(args)}\``,
};

/** Single-quotes text the shell would split or interpret. */
function shellQuote(text: string): string {
  return /^[\w.:/@-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

const QUERY_EXAMPLES = ['grokking', '"in-context learning" -survey', 'diffusion OR flow', 'author:"Yann LeCun"'];

/** "Try …" with the query grammar's examples, for `search` or `subscribe`. */
export function queryUsage(syntax: CommandSyntax, verb: 'search' | 'subscribe' = 'search'): string {
  const examples = QUERY_EXAMPLES.map((query) => syntax.example(verb, query));
  return `Try ${examples.slice(0, -1).join(', ')} or ${examples.at(-1)}.`;
}

export function summaryUsage(syntax: CommandSyntax): string {
  return `Use ${syntax.example('summary', '2605.15320')} (an arXiv id, or an arxiv.org / huggingface.co/papers link).`;
}
