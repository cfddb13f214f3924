/**
 * Automod's and shield mode's reasons in Korean, for main's OS notices: the window says them with
 * its i18n dictionary (`ruleReasons` in src/renderer/src/i18n/ko.ts), which main does not load.
 * The words are the same; test/support/reasonCases.ts holds both to one table.
 */
import type { ReasonData } from '../../shared/automod/reasons';
import { durationParts } from '../../shared/automod/words';

const UNITS = { s: '초', min: '분', h: '시간' } as const;

/** The reason in Korean, or `undefined` for a kind this version does not know. */
export function koreanReason(why: ReasonData): string | undefined {
  switch (why.kind) {
    case 'repeats':
      return `${span(why.spanMs)} 동안 ${why.exact ? '같은' : '거의 같은'} 메시지 ${why.times}번`;
    case 'raid':
      return `복사-붙여넣기 테러 “${why.name}”: ${span(why.spanMs)} 동안 ${why.people}명${why.peopleCapped ? ' 이상' : ''}`;
    case 'flood':
      return `${span(why.spanMs)} 동안 메시지 ${why.messages}개`;
    case 'newChatters':
      return `${span(why.spanMs)} 동안 처음 채팅한 사용자 ${why.chatters}명`;
    case 'caps':
      return inName(why.inName, `대문자 ${why.capitals}개, 글자의 ${why.percent}%`);
    case 'symbols':
      return inName(why.inName, `기호나 이모지 ${why.run}개 연속`);
    case 'links':
      return inName(why.inName, `${why.host} 링크`);
    case 'mentions':
      return `${why.people}명 멘션`;
    case 'length':
      return `${why.characters}자 메시지 (${why.limit}자 초과)`;
    case 'namePattern':
      return `${why.place === 'text' ? '메시지가' : '닉네임이'} ${why.regex ? '패턴' : '단어'} “${why.pattern}”에 걸림 (“${why.matched}”)`;
    case 'wordTerm':
      return `“${why.pattern}” 포함`;
    case 'wordName':
      return `닉네임이 “${why.matched}”에 걸림`;
    case 'shieldRaid': {
      const raid = koreanReason(why.raid);
      return raid === undefined ? undefined : `보호막: ${raid}`;
    }
    case 'shieldFirstMessage':
      return '보호막: 이 방에서 처음 쓴 메시지';
    case 'shieldFirstSeen':
      return `보호막: ${span(why.agoMs)} 전에 처음 봄`;
    default:
      return undefined;
  }
}

function span(ms: number): string {
  const { unit, value } = durationParts(ms);
  return `${value}${UNITS[unit]}`;
}

function inName(scoped: boolean, reason: string): string {
  return scoped ? `닉네임에서: ${reason}` : reason;
}
