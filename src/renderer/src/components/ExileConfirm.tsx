import { useDeckText } from '../hooks/useDeckText';
import { keyLabel } from '../hooks/useKeys';
import type { EventKey } from '../lib/eventKey';
import { NAME_SLOT, withName } from '../lib/names';
import { useDeck } from '../stores/deck';
import { useDeckCommands } from '../stores/deckCommands';
import { NamedSentence } from './NamedSentence';

interface ExileConfirmProps {
  eventKey: EventKey;
  user: string;
}

/**
 * The second step of an exile (kick and ban), or of "Deny + exile": nobody is exiled until the
 * moderator confirms.
 */
export function ExileConfirm({ eventKey, user }: ExileConfirmProps) {
  const { t, keys } = useDeckText();
  const requestExile = useDeckCommands((state) => state.requestExile);
  const cancelExile = useDeck((state) => state.cancelExile);
  const denies = useDeck((state) => state.exileToConfirm === eventKey && state.exileDenies);
  const question = t(denies ? 'row.denyExileConfirm' : 'row.exileConfirm', { user: NAME_SLOT });
  return (
    <div className="delete-confirm" role="group" aria-label={withName(question, user)}>
      <span className="delete-confirm-text">
        <NamedSentence sentence={question} name={user} />{' '}
        <span className="hint">
          {t('row.exileConfirmHint', {
            exileKey: keyLabel(keys.exile),
            confirmKey: keyLabel(keys.confirm),
            cancelKey: keyLabel(keys.clearFocus),
          })}
        </span>
      </span>
      <button type="button" className="danger" onClick={() => void requestExile(eventKey)}>
        {t(denies ? 'row.denyExileConfirmYes' : 'row.exileConfirmYes')}
      </button>
      <button type="button" onClick={cancelExile}>
        {t('row.cancel')}
      </button>
    </div>
  );
}
