import type { Capabilities, MessageState } from '../../../shared/chat';
import { useDeckText } from '../hooks/useDeckText';
import { keyLabel } from '../hooks/useKeys';
import type { EventKey } from '../lib/eventKey';
import { useUi } from '../stores/ui';

interface RowActionsProps {
  eventKey: EventKey;
  state: MessageState;
  capabilities: Capabilities;
  busy: boolean;
  /** The event has a provider message id, so hide, unhide and delete can reach it. */
  message: boolean;
  /** The event has an author the moderator can mute or exile (not the moderator). */
  author: boolean;
}

/** The row's buttons: only what the room's provider allows, and only what makes sense now. */
export function RowActions({
  eventKey,
  state,
  capabilities,
  busy,
  message,
  author,
}: RowActionsProps) {
  const { t, keys } = useDeckText();
  const hide = useUi((ui) => ui.hide);
  const unhide = useUi((ui) => ui.unhide);
  const requestDelete = useUi((ui) => ui.requestDelete);
  const mute = useUi((ui) => ui.mute);
  const requestExile = useUi((ui) => ui.requestExile);

  const canHide = message && capabilities.hide && state === 'visible';
  const canUnhide = message && capabilities.unhide && state === 'hidden';
  const canDelete = message && capabilities.delete && state !== 'deleted';
  const canMute = author && capabilities.mute;
  const canExile = author && capabilities.exile;
  if (!canHide && !canUnhide && !canDelete && !canMute && !canExile) return null;

  return (
    <div className="row-actions">
      {canHide ? (
        <button
          type="button"
          disabled={busy}
          aria-keyshortcuts={keys.hide}
          title={t('row.actionHint', { action: t('row.hide'), key: keyLabel(keys.hide) })}
          onClick={() => void hide(eventKey)}
        >
          {t('row.hide')}
        </button>
      ) : null}
      {canUnhide ? (
        <button
          type="button"
          className="unhide"
          disabled={busy}
          aria-keyshortcuts={keys.unhide}
          title={t('row.actionHint', { action: t('row.unhide'), key: keyLabel(keys.unhide) })}
          onClick={() => void unhide(eventKey)}
        >
          {t('row.unhide')}
        </button>
      ) : null}
      {canDelete ? (
        <button
          type="button"
          className="delete"
          disabled={busy}
          aria-keyshortcuts={keys.delete}
          title={t('row.actionHint', { action: t('row.delete'), key: keyLabel(keys.delete) })}
          onClick={() => void requestDelete(eventKey)}
        >
          {t('row.delete')}
        </button>
      ) : null}
      {canMute ? (
        <button
          type="button"
          aria-keyshortcuts={keys.mute}
          title={t('row.actionHint', { action: t('row.muteHint'), key: keyLabel(keys.mute) })}
          onClick={() => void mute(eventKey)}
        >
          {t('row.mute')}
        </button>
      ) : null}
      {canExile ? (
        <button
          type="button"
          className="delete"
          aria-keyshortcuts={keys.exile}
          title={t('row.actionHint', { action: t('row.exileHint'), key: keyLabel(keys.exile) })}
          onClick={() => void requestExile(eventKey)}
        >
          {t('row.exile')}
        </button>
      ) : null}
    </div>
  );
}
