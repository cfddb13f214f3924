/**
 * Name patterns: word-filter terms and regexes (src/shared/wordfilter, with its normalisation and
 * its linear-time regex engine) applied to display names, the text, or both, as the rule's scope
 * says. Hostile bots come with names in patterns.
 */
import { compileRules, type Matcher } from '../wordfilter';
import type { RuleOfKind } from './config';
import { NOTHING_KEPT, type Detector, type Inspected } from './detector';
import type { ReasonData } from './reasons';
import { scopedTexts } from './shape';
import { shown } from './words';

type Params = RuleOfKind<'namePattern'>['params'];

export class NamePatternDetector implements Detector {
  private readonly matcher: Matcher | undefined;
  private readonly patterns: Params['patterns'];

  constructor(private readonly params: Params) {
    this.patterns = params.patterns;
    // Patterns were checked when the configuration was parsed (config.ts), so none is refused here.
    this.matcher =
      params.patterns.length === 0
        ? undefined
        : compileRules(
            params.patterns.map((pattern, index) => ({ id: String(index), ...pattern })),
          );
  }

  check({ message }: Inspected): ReasonData | undefined {
    const matcher = this.matcher;
    if (!matcher) return undefined;
    for (const { where, text } of scopedTexts(message, this.params.scope)) {
      const hit = matcher.match(text).find((match) => this.patterns[Number(match.ruleId)]);
      if (!hit) continue;
      const pattern = this.patterns[Number(hit.ruleId)]!;
      return {
        kind: 'namePattern',
        place: where === '' ? 'text' : 'name',
        regex: pattern.kind === 'regex',
        pattern: shown(pattern.pattern, 40),
        matched: shown(text.slice(hit.start, hit.end), 40),
      };
    }
    return undefined;
  }

  size = () => NOTHING_KEPT;
}
