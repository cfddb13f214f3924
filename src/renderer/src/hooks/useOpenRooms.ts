/** The open rooms in column order (rooms still opening are left out). */
import type { OpenRoom } from '../../../shared/chat';
import { useShallow } from 'zustand/react/shallow';
import { useRooms } from '../stores/rooms';

export function useOpenRooms(): OpenRoom[] {
  // The items are the store's own objects, so a shallow comparison keeps the array stable.
  return useRooms(
    useShallow((state) =>
      state.columns
        .map((column) => state.byKey[column.roomKey])
        .filter((room): room is OpenRoom => room !== undefined),
    ),
  );
}
