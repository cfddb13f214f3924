/**
 * The text the store's second full-text index reads, so that one- and two-character terms find
 * their messages: FTS5's trigram tokenizer matches nothing shorter than three characters, and its
 * unicode61 tokenizer keeps Korean particles on the word (`바보야` is one token, `바보` finds
 * nothing). Every position of every run of letters and digits starts one token: the two
 * characters there, or the last character alone (`바보야` → `바보 보야 야`). A two-character term
 * is then one exact token, and a one-character term a prefix query.
 */

const RUNS = /[\p{L}\p{N}]+/gu;

/** Letters and digits as both the index and a query see them: NFKC, lower case, code points. */
function runs(text: string): string[][] {
  return [...text.normalize('NFKC').toLowerCase().matchAll(RUNS)].map((match) => [...match[0]]);
}

/** The space-separated tokens the short-term index keeps for a message's text. */
export function shortTermTokens(text: string): string {
  const tokens: string[] = [];
  for (const run of runs(text)) {
    for (let index = 0; index < run.length; index += 1) {
      tokens.push(run.slice(index, index + 2).join(''));
    }
  }
  return tokens.join(' ');
}

/**
 * A query term of one or two letters or digits as the short-term index reads it, or null when the
 * term is anything else (longer, or with punctuation), which the trigram index or a scan answers.
 */
export function shortTerm(term: string): string | null {
  const found = runs(term);
  if (found.length !== 1) return null;
  const run = found[0] ?? [];
  if (run.length < 1 || run.length > 2 || run.join('') !== term.normalize('NFKC').toLowerCase())
    return null;
  return run.join('');
}
