/**
 * A rule's reason for a flag, a hold or a backtest hit, in the window's language: said from its
 * values (`why`, shared/automod/reasons.ts) when it has them, otherwise its English words as they
 * came (flags and holds stored by earlier versions).
 */
import type { TFunction } from 'i18next';
import type { ReasonData } from '../../../shared/automod/reasons';
import { durationParts } from '../../../shared/automod/words';

/** What carries a rule's reason: a flag, a hold, a backtest hit. */
export interface Reasoned {
  reason?: string;
  why?: ReasonData;
}

/** The reason in the window's language; the English `reason` when there are no values. */
export function reasonText(t: TFunction, { reason, why }: Reasoned): string {
  return (why === undefined ? undefined : said(t, why)) ?? reason ?? '';
}

// Numbers go in as they are, not through the number formatter: the English must read exactly as
// the reason's words ("1000+ people"), and counts this small need no grouping in Korean either.
function said(t: TFunction, why: ReasonData): string | undefined {
  switch (why.kind) {
    case 'repeats':
      return t(why.exact ? 'ruleReasons.repeats' : 'ruleReasons.repeatsNearly', {
        times: why.times,
        span: span(t, why.spanMs),
      });
    case 'raid':
      return t('ruleReasons.raid', {
        name: why.name,
        people: why.peopleCapped
          ? t('ruleReasons.peopleAtLeast', { count: why.people })
          : t('ruleReasons.people', { count: why.people }),
        span: span(t, why.spanMs),
      });
    case 'flood':
      return t('ruleReasons.flood', { messages: why.messages, span: span(t, why.spanMs) });
    case 'newChatters':
      return t('ruleReasons.newChatters', { chatters: why.chatters, span: span(t, why.spanMs) });
    case 'caps':
      return inName(
        t,
        why.inName,
        t('ruleReasons.caps', { count: why.capitals, percent: why.percent }),
      );
    case 'symbols':
      return inName(t, why.inName, t('ruleReasons.symbols', { run: why.run }));
    case 'links':
      return inName(t, why.inName, t('ruleReasons.links', { host: why.host }));
    case 'mentions':
      return t('ruleReasons.mentions', { count: why.people });
    case 'length':
      return t('ruleReasons.length', { characters: why.characters, limit: why.limit });
    case 'namePattern':
      return t(NAME_PATTERN_KEYS[why.place][why.regex ? 'regex' : 'term'], {
        pattern: why.pattern,
        matched: why.matched,
      });
    case 'wordTerm':
      return t('ruleReasons.wordTerm', { pattern: why.pattern });
    case 'wordName':
      return t('ruleReasons.wordName', { matched: why.matched });
    case 'shieldRaid':
      return t('ruleReasons.shieldRaid', { reason: said(t, why.raid) });
    case 'shieldFirstMessage':
      return t('ruleReasons.shieldFirstMessage');
    case 'shieldFirstSeen':
      return t('ruleReasons.shieldFirstSeen', { ago: span(t, why.agoMs) });
    default:
      // A kind this version does not know (values a later version wrote): its words are kept.
      return undefined;
  }
}

const NAME_PATTERN_KEYS = {
  text: { term: 'ruleReasons.textTerm', regex: 'ruleReasons.textPattern' },
  name: { term: 'ruleReasons.nameTerm', regex: 'ruleReasons.namePattern' },
} as const;

/** A span rounded as the English reason rounds it (`duration`). */
function span(t: TFunction, ms: number): string {
  const { unit, value } = durationParts(ms);
  return t(`ruleReasons.duration.${unit}`, { value });
}

function inName(t: TFunction, scoped: boolean, reason: string): string {
  return scoped ? t('ruleReasons.inName', { reason }) : reason;
}
