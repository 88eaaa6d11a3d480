// Placeholder until the search normaliser lands: lower-case word tokens.
export function tokenize(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function indexText(text: string): string {
  return tokenize(text).join(' ');
}
