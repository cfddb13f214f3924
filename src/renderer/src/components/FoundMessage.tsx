import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { isAutomodFlag } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { useFormatters } from '../hooks/useFormatters';
import { reasonText } from '../lib/ruleReasons';
import type { SearchResult } from '../stores/search';
import { ruleNameIn, selectRules, useSettings } from '../stores/settings';
import { MessageText } from './MessageText';

interface FoundMessageProps {
  result: SearchResult;
  /** The one the history view was opened for: marked as found. */
  found?: boolean;
}

/**
 * One message as search or the history view shows it: when, where, who, its state and the rules
 * that flagged it, then its text (as text, flagged words marked). A deleted or hidden message
 * keeps its text: this is the moderator's record of what was said.
 */
export const FoundMessage = memo(function FoundMessage({ result, found }: FoundMessageProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const rules = useSettings(selectRules);
  const { event, state, roomKey } = result;
  // Word rules by name; automod's verdicts by their reasons, as the deck's rows show them.
  const ruleNames = [
    ...new Set(event.flags.filter((flag) => !isAutomodFlag(flag)).map((flag) => flag.ruleId)),
  ].map((ruleId) => ruleNameIn(rules, roomKey, ruleId));
  const verdicts = event.flags.filter(isAutomodFlag);
  return (
    <div className={`found-message user-message user-message-${state}`}>
      <div className="user-message-meta">
        {found ? <span className="state-badge found-badge">{t('historyView.found')}</span> : null}
        <time dateTime={new Date(event.createdAt).toISOString()}>
          {formatters.dateTime.format(event.createdAt)}
        </time>
        <span className="row-room">
          <bdi>{result.roomName}</bdi>
        </span>
        <bdi className="found-author">
          {event.user ? displayName(event.user.name) : t('search.noUser')}
        </bdi>
        {state !== 'visible' ? (
          <span className="state-badge">{t(`search.states.${state}`)}</span>
        ) : null}
        {ruleNames.length > 0 ? (
          <span className="found-flags">
            {t('search.flaggedBy', { rules: ruleNames.join(', ') })}
          </span>
        ) : null}
        {verdicts.map((flag) => (
          <span key={flag.ruleId} className="found-flags found-automod">
            {t('row.automod', { reason: reasonText(t, flag) })}
          </span>
        ))}
      </div>
      <MessageText roomKey={roomKey} text={event.text} flags={event.flags} rules={rules} />
    </div>
  );
});
