import { useTranslation } from 'react-i18next';
import type { EventKey } from '../lib/eventKey';
import { useDeckCommands } from '../stores/deckCommands';

/**
 * "Deny + mute" and "Deny + exile" on a flagged or held message, where the room can mute or exile
 * its author: the message denied and its author acted on in one step (exile asks first).
 */
export function DenyWithUserButtons({
  eventKey,
  mute,
  exile,
  canDelete,
  small = false,
}: {
  eventKey: EventKey;
  mute: boolean;
  exile: boolean;
  /** Where the service cannot delete (VChatCloud), denying takes the message out of the queue. */
  canDelete: boolean;
  small?: boolean;
}) {
  const { t } = useTranslation();
  const hint = canDelete ? 'row.denyHint' : 'row.denyKeepHint';
  const size = small ? 'small ' : '';
  return (
    <>
      {mute ? (
        <button
          type="button"
          className={`${size}deny-user`}
          title={t(`${hint}.mute`)}
          onClick={() => void useDeckCommands.getState().denyAndMute(eventKey)}
        >
          {t('row.denyMute')}
        </button>
      ) : null}
      {exile ? (
        <button
          type="button"
          className={`${size}deny-user delete`}
          title={t(`${hint}.exile`)}
          onClick={() => void useDeckCommands.getState().requestDenyAndExile(eventKey)}
        >
          {t('row.denyExile')}
        </button>
      ) : null}
    </>
  );
}
