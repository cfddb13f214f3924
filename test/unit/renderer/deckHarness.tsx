/**
 * A fake main process for deck tests: settings with a saved layout, rooms that open and answer a
 * snapshot, and moderation handlers the test can replace; and the deck rendered with fixed sizes.
 */
import { fireEvent, waitFor, type RenderResult } from '@testing-library/react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { App } from '../../../src/renderer/src/App';
import {
  CAPABILITIES,
  roomKeyOf,
  type Capabilities,
  type ChatEvent,
  type OpenRoom,
} from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import { defaultSettings, type ProviderId, type Settings } from '../../../src/shared/model';
import { appInfoAnswer, installFakeBridge, type FakeBridge, type FakeHandlers } from './fakeBridge';
import { renderWithI18n } from './render';

export { T0, batchOf, chatEvent, resetStores } from './storeFixtures';

export interface FakeRoom {
  accountId: string;
  roomId: string;
  name: string;
  provider?: ProviderId;
  /** What the room offers; its provider's defaults when absent. */
  capabilities?: Capabilities;
  events?: ChatEvent[];
  width?: number;
}

export function openRoomOf(room: FakeRoom): OpenRoom {
  const provider = room.provider ?? 'flipflop';
  const roomKey = roomKeyOf(room.accountId, room.roomId);
  return {
    roomKey,
    accountId: room.accountId,
    roomId: room.roomId,
    provider,
    name: room.name,
    capabilities: room.capabilities ?? CAPABILITIES[provider],
    status: { roomKey, state: 'live' },
    moderatorUserId: 'moderator',
  };
}

export interface FakeDeck {
  bridge: FakeBridge;
  settings: Settings;
}

/**
 * Installs a main process whose saved layout holds `rooms` (left to right). Moderation succeeds
 * unless `handlers` says otherwise; a bulk action reports each message as it goes.
 */
export function fakeDeck(
  rooms: FakeRoom[],
  handlers: FakeHandlers = {},
  settingsPatch: Partial<Settings> = {},
): FakeDeck {
  const settings: Settings = {
    ...defaultSettings(),
    layout: {
      columns: rooms.map((room) =>
        room.width === undefined
          ? { accountId: room.accountId, roomId: room.roomId }
          : { accountId: room.accountId, roomId: room.roomId, width: room.width },
      ),
    },
    ...settingsPatch,
  };
  const byKey = new Map(rooms.map((room) => [roomKeyOf(room.accountId, room.roomId), room]));
  const moderate =
    (state: 'visible' | 'hidden' | 'deleted') => (input: RequestInput<'messages.hide'>) => ({
      ok: true as const,
      value: { roomKey: input.roomKey, messageId: input.messageId, state },
    });

  const BULK_STATE = { hide: 'hidden', unhide: 'visible', delete: 'deleted' } as const;
  // Like main: each message's result is sent as it settles, then the answer lists them all.
  const bulk = (input: RequestInput<'messages.bulk'>) => {
    const bulkId = input.bulkId ?? 'bulk';
    const results = input.items.map(({ roomKey, messageId }) => ({
      bulkId,
      roomKey,
      messageId,
      outcome: 'done' as const,
      ok: true,
      state: BULK_STATE[input.action],
    }));
    for (const result of results) bridge.emit('moderation.result', result);
    return { ok: true as const, value: { bulkId, action: input.action, results } };
  };

  const bridge: FakeBridge = installFakeBridge({
    'app.info': () => appInfoAnswer(),
    'accounts.list': () => ({ ok: true, value: [] }),
    'settings.get': () => ({ ok: true, value: settings }),
    'settings.set': (patch) => {
      Object.assign(settings, patch);
      return { ok: true, value: { ...settings } };
    },
    'rooms.open': ({ accountId, roomId }) => {
      const room = byKey.get(roomKeyOf(accountId, roomId));
      if (!room) return { ok: false, error: { code: 'NOT_FOUND', message: 'no such room' } };
      return { ok: true, value: openRoomOf(room) };
    },
    'rooms.close': ({ roomKey }) => ({ ok: true, value: { roomKey } }),
    'feed.snapshot': ({ roomKey }) => {
      const room = byKey.get(roomKey);
      if (!room) return { ok: false, error: { code: 'NOT_FOUND', message: 'no such room' } };
      return { ok: true, value: { room: openRoomOf(room), events: room.events ?? [] } };
    },
    'messages.hide': moderate('hidden'),
    'messages.unhide': moderate('visible'),
    'messages.delete': moderate('deleted'),
    'messages.bulk': bulk,
    'flagged.markHandled': (input) => ({ ok: true, value: input }),
    ...handlers,
  });
  return { bridge, settings };
}

/** Renders the whole app with fixed sizes for the virtualised lists (jsdom has no layout). */
export function renderDeck(): RenderResult {
  return renderWithI18n(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 2000, itemHeight: 24 }}>
      <App />
    </VirtuosoMockContext.Provider>,
  );
}

export function column(roomKey: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`section[data-room-key="${roomKey}"]`);
  if (!found) throw new Error(`no column for ${roomKey}`);
  return found;
}

export function flaggedColumn(): HTMLElement {
  const found = document.querySelector<HTMLElement>('section[data-column="flagged"]');
  if (!found) throw new Error('no Flagged column');
  return found;
}

/** The row of event `id` inside `container` (a column, or the whole document). */
export function row(id: string, container: ParentNode = document): HTMLElement {
  const found = container.querySelector<HTMLElement>(`article[data-message-id="${id}"]`);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
}

/**
 * The row of event `id` with the pointer over it, as a moderator reaches for its buttons: a row
 * makes them only then, when it has the cursor, or for a hidden message's Unhide.
 */
export function pointedRow(id: string, container: ParentNode = document): HTMLElement {
  fireEvent.mouseEnter(row(id, container));
  return row(id, container);
}

export function rowsIn(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>('article[data-message-id]')];
}

/**
 * Waits until the row of event `id` is on screen (in the room's column when given). The list
 * stays `visibility: hidden` until it has scrolled to its first position, a few frames after the
 * rows exist; until then role queries rightly find nothing in it.
 */
export function findRow(id: string, roomKey?: string): Promise<HTMLElement> {
  return waitFor(() => {
    const found = row(id, roomKey === undefined ? document : column(roomKey));
    if (found.closest('[style*="visibility: hidden"]')) throw new Error(`${id} is not visible yet`);
    return found;
  });
}
