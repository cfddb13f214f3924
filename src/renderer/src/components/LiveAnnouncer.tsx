import { useTranslation } from 'react-i18next';
import { displayName } from '../../../shared/displayName';
import { useAnnouncer } from '../stores/announcer';
import { useRooms } from '../stores/rooms';

/** Announcements read this many characters of a message at most. */
const SPOKEN_TEXT = 200;

/**
 * The polite live region: a screen reader hears flagged messages and direct messages to the
 * moderator as they arrive (spaced out by the announcer store), and nothing of the ordinary feed.
 * It is always in the page, empty at first, so the first announcement is heard too.
 */
export function LiveAnnouncer() {
  const { t } = useTranslation();
  const current = useAnnouncer((state) => state.current);
  const roomName = useRooms((state) =>
    current ? (state.byKey[current.latest.roomKey]?.name ?? current.latest.roomKey) : '',
  );

  let text = '';
  if (current) {
    const { latest, count } = current;
    const spoken =
      latest.text.length > SPOKEN_TEXT ? `${latest.text.slice(0, SPOKEN_TEXT)}…` : latest.text;
    const values = {
      room: roomName,
      user: latest.user ? displayName(latest.user.name) : t('row.system'),
      text: spoken,
    };
    const one = latest.toModerator
      ? t('announce.direct', values)
      : latest.flags.length === 0 && latest.first === 'raised'
        ? t('announce.first', values)
        : t('announce.flagged', values);
    text = count > 1 ? t('announce.several', { count, latest: one }) : one;
  }

  return (
    // A plain polite region: the toast already is the page's `status`, and a `log` role would
    // suggest the ordinary feed is read out.
    <div className="visually-hidden announcer" aria-live="polite" aria-atomic="true">
      {current ? <p key={current.id}>{text}</p> : null}
    </div>
  );
}
