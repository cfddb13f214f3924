import type { Capabilities, MessageState } from '../../../shared/chat';
import { useDeckText } from '../hooks/useDeckText';
import type { ColumnKey, EventKey } from '../lib/eventKey';
import { useDeckCommands } from '../stores/deckCommands';
import { DenyWithUserButtons } from './DenyWithUserButtons';

interface RowActionsProps {
  /** The column the row is in: a collapsed run's row acts on every copy in a room's column. */
  column: ColumnKey;
  eventKey: EventKey;
  state: MessageState;
  capabilities: Capabilities;
  busy: boolean;
  /** A chat message with a provider id, so hide, unhide and delete can reach it (not a join). */
  message: boolean;
  /** The event has an author the moderator can mute or exile (not the moderator). */
  author: boolean;
  /** The event waits in the Flagged queue: it can be marked as looking fine. */
  waiting: boolean;
  /**
   * The event is flagged or held and waits for a decision: it can be denied with its author's
   * mute or exile in one step.
   */
  review: boolean;
  /**
   * Only the button a hidden message keeps in sight (Unhide): the row has not had the pointer or
   * the cursor, which bring the others (in a raid, most of a room's rows are held copies).
   */
  unhideOnly: boolean;
}

/** The row's buttons: only what the room's provider allows, and only what makes sense now. */
export function RowActions({
  column,
  eventKey,
  state,
  capabilities,
  busy,
  message,
  author,
  waiting,
  review,
  unhideOnly,
}: RowActionsProps) {
  const { keys, actions } = useDeckText();

  const all = !unhideOnly;
  const canHide = all && message && capabilities.hide && state === 'visible';
  const canUnhide = message && capabilities.unhide && state === 'hidden';
  const canDelete = all && message && capabilities.delete && state !== 'deleted';
  const canMute = all && author && capabilities.mute;
  const canExile = all && author && capabilities.exile;
  const canLooksFine = all && waiting && !busy;
  const canDenyMute = review && canMute;
  const canDenyExile = review && canExile;
  if (!canHide && !canUnhide && !canDelete && !canMute && !canExile && !canLooksFine) return null;

  return (
    // A press does not move the focus to the row: the focused row lays its buttons out anew, and
    // the button would leave the pointer between the press and the release, losing the click.
    <div className="row-actions" onMouseDown={(event) => event.preventDefault()}>
      {canLooksFine ? (
        <button
          type="button"
          className="looks-fine"
          aria-keyshortcuts={keys.markHandled}
          title={actions.looksFine.title}
          onClick={() => useDeckCommands.getState().markHandled(eventKey)}
        >
          {actions.looksFine.label}
        </button>
      ) : null}
      {canHide ? (
        <button
          type="button"
          disabled={busy}
          aria-keyshortcuts={keys.hide}
          title={actions.hide.title}
          onClick={() => void useDeckCommands.getState().hide(eventKey, column)}
        >
          {actions.hide.label}
        </button>
      ) : null}
      {canUnhide ? (
        <button
          type="button"
          className="unhide"
          disabled={busy}
          aria-keyshortcuts={keys.unhide}
          title={actions.unhide.title}
          onClick={() => void useDeckCommands.getState().unhide(eventKey, column)}
        >
          {actions.unhide.label}
        </button>
      ) : null}
      {canDelete ? (
        <button
          type="button"
          className="delete"
          disabled={busy}
          aria-keyshortcuts={keys.delete}
          title={actions.delete.title}
          onClick={() => void useDeckCommands.getState().requestDelete(eventKey, column)}
        >
          {actions.delete.label}
        </button>
      ) : null}
      {canMute ? (
        <button
          type="button"
          aria-keyshortcuts={keys.mute}
          title={actions.mute.title}
          onClick={() => void useDeckCommands.getState().mute(eventKey)}
        >
          {actions.mute.label}
        </button>
      ) : null}
      {canExile ? (
        <button
          type="button"
          className="delete"
          aria-keyshortcuts={keys.exile}
          title={actions.exile.title}
          onClick={() => void useDeckCommands.getState().requestExile(eventKey)}
        >
          {actions.exile.label}
        </button>
      ) : null}
      {all ? (
        <DenyWithUserButtons
          eventKey={eventKey}
          mute={canDenyMute}
          exile={canDenyExile}
          canDelete={capabilities.delete}
        />
      ) : null}
    </div>
  );
}
