import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { RoomKey } from '../../../shared/chat';
import { focusDeck } from '../lib/deckFocus';
import { usePanels, type Panel } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { useShield } from '../stores/shield';

interface ColumnMenuProps {
  roomKey: RoomKey;
  name: string;
}

/**
 * The room's menu: its members, an admin message to it (a broadcast, or a VChatCloud notice or
 * custom message), its settings (the ones its provider allows), shield mode in this room, then the
 * column's placement and close.
 */
export function ColumnMenu({ roomKey, name }: ColumnMenuProps) {
  const { t } = useTranslation();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const index = useRooms((state) =>
    state.columns.findIndex((column) => column.roomKey === roomKey),
  );
  const count = useRooms((state) => state.columns.length);
  const move = useRooms((state) => state.move);
  const close = useRooms((state) => state.close);
  const capabilities = useRooms((state) => state.byKey[roomKey]?.capabilities);
  const showPanel = usePanels((state) => state.show);
  // The room's own switch (one for every room is the top bar's).
  const shielded = useShield((state) => state.state.rooms.some((room) => room.roomKey === roomKey));
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open)
      menuRef.current
        ?.querySelector<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')
        ?.focus();
  }, [open]);

  function dismiss(): void {
    setOpen(false);
    buttonRef.current?.focus();
  }

  /**
   * Runs a menu item and gives the focus back to the deck: to the cursor's row, or this column. The
   * change is on the page first, since moving a column takes its elements out and puts them back.
   */
  function choose(action: () => void): void {
    const column = buttonRef.current?.closest<HTMLElement>('section.column') ?? null;
    flushSync(() => {
      action();
      setOpen(false);
    });
    focusDeck(column);
  }

  const panels: { key: string; label: string; panel: Panel }[] = [];
  if (capabilities?.members)
    panels.push({
      key: 'members',
      label: t('column.members'),
      panel: { type: 'members', roomKey },
    });
  // Where the room-wide announcement is a notice (VChatCloud), it has its own panel.
  if (capabilities?.broadcast && !capabilities.notice) {
    panels.push({
      key: 'broadcast',
      label: t('column.broadcast'),
      panel: { type: 'composer', mode: 'broadcast', roomKeys: [roomKey], receivers: [] },
    });
  }
  if (capabilities?.notice) {
    panels.push({
      key: 'notice',
      label: t('column.notice'),
      panel: { type: 'roomMessage', mode: 'notice', roomKey },
    });
  }
  if (capabilities?.customMessage) {
    panels.push({
      key: 'custom',
      label: t('column.customMessage'),
      panel: { type: 'roomMessage', mode: 'custom', roomKey },
    });
  }
  if (capabilities?.directMessage) {
    panels.push({
      key: 'direct',
      label: t('column.directMessage'),
      panel: { type: 'composer', mode: 'direct', roomKeys: [roomKey], receivers: [] },
    });
  }
  if (capabilities)
    panels.push({
      key: 'settings',
      label: t('column.roomSettings'),
      panel: { type: 'roomSettings', roomKey },
    });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const items = [
      ...(menuRef.current?.querySelectorAll<HTMLButtonElement>(
        '[role="menuitem"]:not(:disabled)',
      ) ?? []),
    ];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: HTMLButtonElement | undefined;
    if (event.key === 'Escape') dismiss();
    else if (event.key === 'ArrowDown' || event.key === 'j') next = items[(at + 1) % items.length];
    else if (event.key === 'ArrowUp' || event.key === 'k')
      next = items[(at - 1 + items.length) % items.length];
    else if (event.key === 'Tab') {
      setOpen(false);
      return;
    }
    next?.focus();
    if (next || event.key === 'Escape') event.preventDefault();
    // Keys pressed in an open menu belong to the menu, not to the deck.
    event.stopPropagation();
  }

  return (
    <span className="column-menu">
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={t('column.menuNamed', { name })}
        title={t('column.menu')}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          className="menu"
          role="menu"
          aria-label={t('column.menuNamed', { name })}
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            const next = event.relatedTarget as Node | null;
            // The toggle button closes the menu itself on click.
            if (next === buttonRef.current || event.currentTarget.contains(next)) return;
            setOpen(false);
          }}
        >
          {panels.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              onClick={() => {
                const column = buttonRef.current?.closest<HTMLElement>('section.column') ?? null;
                setOpen(false);
                // The panel gives the focus back to what had it when it opened: the deck.
                focusDeck(column);
                showPanel(item.panel);
              }}
            >
              {item.label}
            </button>
          ))}
          {panels.length > 0 ? <div role="separator" className="menu-separator" /> : null}
          <button
            type="button"
            role="menuitem"
            onClick={() => choose(() => void useShield.getState().toggle(roomKey, false))}
          >
            {shielded ? t('shield.roomOff') : t('shield.roomOn')}
          </button>
          <div role="separator" className="menu-separator" />
          <button
            type="button"
            role="menuitem"
            disabled={index <= 0}
            onClick={() => choose(() => move(roomKey, -1))}
          >
            {t('column.moveLeft')}
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={index === -1 || index >= count - 1}
            onClick={() => choose(() => move(roomKey, 1))}
          >
            {t('column.moveRight')}
          </button>
          <button type="button" role="menuitem" onClick={() => choose(() => void close(roomKey))}>
            {t('column.close')}
          </button>
        </div>
      ) : null}
    </span>
  );
}
