import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useOpenRooms } from '../hooks/useOpenRooms';
import type { RuleScope } from '../lib/ruleDraft';
import { useSettings } from '../stores/settings';
import { RuleEditor } from './RuleEditor';

/**
 * Forbidden words: the global list, which every room uses, and each room's own list on top of it.
 * Rooms that are not open but have rules stay listed.
 */
export function WordRuleSettings() {
  const { t } = useTranslation();
  const selectId = useId();
  const openRooms = useOpenRooms();
  const ruleRooms = useSettings(
    useShallow((state) => Object.keys(state.settings?.rules.rooms ?? {})),
  );
  const [scope, setScope] = useState<RuleScope>('global');
  const rooms = [
    ...openRooms,
    ...ruleRooms
      .filter((roomKey) => !openRooms.some((room) => room.roomKey === roomKey))
      .map((roomKey) => ({ roomKey, name: roomKey })),
  ];

  return (
    <div className="settings-section">
      <p className="hint">{t('rules.intro')}</p>
      <div className="field field-narrow">
        <label htmlFor={selectId}>{t('rules.scope')}</label>
        <select id={selectId} value={scope} onChange={(event) => setScope(event.target.value)}>
          <option value="global">{t('rules.global')}</option>
          {rooms.map((room) => (
            <option key={room.roomKey} value={room.roomKey}>
              {t('rules.roomList', { name: room.name })}
            </option>
          ))}
        </select>
      </div>
      <RuleEditor key={scope} scope={scope} />
    </div>
  );
}
