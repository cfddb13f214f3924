import { useDeckText } from '../hooks/useDeckText';
import { keyLabel } from '../hooks/useKeys';
import type { ColumnKey, EventKey } from '../lib/eventKey';
import { useDeck } from '../stores/deck';
import { useDeckCommands } from '../stores/deckCommands';

interface DeleteConfirmProps {
  eventKey: EventKey;
  column?: ColumnKey;
  /** The copies the delete is for, when the row stands for a collapsed run of repeated messages. */
  copies?: number;
}

/** The second step of a delete: nothing is deleted until the moderator confirms. */
export function DeleteConfirm({ eventKey, column, copies = 1 }: DeleteConfirmProps) {
  const { t, keys } = useDeckText();
  const requestDelete = useDeckCommands((state) => state.requestDelete);
  const cancelDelete = useDeck((state) => state.cancelDelete);
  const question =
    copies > 1 ? t('row.deleteConfirmCopies', { count: copies }) : t('row.deleteConfirm');
  return (
    <div className="delete-confirm" role="group" aria-label={question}>
      <span className="delete-confirm-text">
        {question}{' '}
        <span className="hint">
          {t('row.deleteConfirmHint', {
            deleteKey: keyLabel(keys.delete),
            confirmKey: keyLabel(keys.confirm),
            cancelKey: keyLabel(keys.clearFocus),
          })}
        </span>
      </span>
      <button type="button" className="danger" onClick={() => void requestDelete(eventKey, column)}>
        {t('row.deleteConfirmYes')}
      </button>
      <button type="button" onClick={cancelDelete}>
        {t('row.cancel')}
      </button>
    </div>
  );
}
