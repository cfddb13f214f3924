/**
 * A plain case-insensitive substring matcher, standing in for the word filter where a test is
 * about the feed and not about matching.
 */
import type { CompileRules } from '../../src/main/services/feeds';

export const substringRules: CompileRules = (rules) => ({
  match(text) {
    const lower = text.toLowerCase();
    const hits: Array<{ ruleId: string; start: number; end: number }> = [];
    for (const rule of rules) {
      const pattern = rule.pattern.toLowerCase();
      for (let at = lower.indexOf(pattern); at !== -1; at = lower.indexOf(pattern, at + 1)) {
        hits.push({ ruleId: rule.id, start: at, end: at + pattern.length });
      }
    }
    return hits.sort((a, b) => a.start - b.start);
  },
});
