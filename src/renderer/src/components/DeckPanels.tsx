import { selectTopPanel, usePanels } from '../stores/panels';
import { Composer } from './Composer';
import { HistoryPanel } from './HistoryPanel';
import { MembersPanel } from './MembersPanel';
import { RoomMessagePanel } from './RoomMessagePanel';
import { RoomSettingsPanel } from './RoomSettingsPanel';
import { SearchPanel } from './SearchPanel';
import { UserCard } from './UserCard';

/**
 * The deck's side panel on top of the stack: members, a user card, the composer, a room's notice
 * or custom message, room settings, search and a search result's history view.
 */
export function DeckPanels() {
  const top = usePanels(selectTopPanel);
  if (!top) return null;
  const { panel, id } = top;
  switch (panel.type) {
    case 'members':
      return <MembersPanel key={id} roomKey={panel.roomKey} />;
    case 'user':
      return <UserCard key={id} roomKey={panel.roomKey} user={panel.user} />;
    case 'composer':
      return (
        <Composer
          key={id}
          mode={panel.mode}
          roomKeys={panel.roomKeys}
          receivers={panel.receivers}
        />
      );
    case 'roomMessage':
      return <RoomMessagePanel key={id} roomKey={panel.roomKey} mode={panel.mode} />;
    case 'roomSettings':
      return <RoomSettingsPanel key={id} roomKey={panel.roomKey} />;
    case 'search':
      return <SearchPanel key={id} roomKeys={panel.roomKeys} />;
    case 'history':
      return (
        <HistoryPanel key={id} roomKey={panel.roomKey} seq={panel.seq} eventId={panel.eventId} />
      );
  }
}
