import { useDeckText } from '../hooks/useDeckText';
import { keyLabel } from '../hooks/useKeys';
import type { ColumnKey, EventKey } from '../lib/eventKey';
import { useDeck } from '../stores/deck';
import { useDeckCommands } from '../stores/deckCommands';

interface DeleteConfirmProps {
  eventKey: EventKey;
  column: ColumnKey;
}

/**
 * The second step of a delete: nothing is deleted until the moderator confirms. It names what was
 * asked (every copy of a collapsed run, or this message), which is what confirming deletes.
 */
export function DeleteConfirm({ eventKey, column }: DeleteConfirmProps) {
  const { t, keys } = useDeckText();
  const requestDelete = useDeckCommands((state) => state.requestDelete);
  const cancelDelete = useDeck((state) => state.cancelDelete);
  const copies = useDeck((state) => state.deleteToConfirm?.copies?.length ?? 1);
  const question =
    copies > 1 ? t('row.deleteConfirmCopies', { count: copies }) : t('row.deleteConfirm');
  return (
    <div
      className="delete-confirm"
      role="group"
      aria-label={question}
      // As for the row's other buttons: a press does not focus the row, which could fold the run
      // it shows (or change it) under the pointer before the click.
      onMouseDown={(event) => event.preventDefault()}
    >
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
