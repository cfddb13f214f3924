/**
 * A room's name as creating or changing a room takes it: at most 50 characters, counted as people
 * count them, and a very long string refused before it is counted.
 */
import { describe, expect, it } from 'vitest';
import { AdminRoomSettings } from '../../src/shared/chat';

const settings = (roomName: string) => ({
  roomName,
  maxUser: 100,
  roomType: '01',
  rtcStat: 'N',
  gTransStat: 'N',
});

describe("a room's name", () => {
  it('takes 50 characters of any kind, spaces around them trimmed', () => {
    const parsed = AdminRoomSettings.safeParse(settings(`  ${'😀'.repeat(50)}  `));
    expect(parsed.success && parsed.data.roomName).toBe('😀'.repeat(50));
  });

  it('refuses 51 characters, and a name of a million before counting it', () => {
    expect(AdminRoomSettings.safeParse(settings('가'.repeat(51))).success).toBe(false);
    const huge = AdminRoomSettings.safeParse(settings(' '.repeat(1_000_000)));
    expect(huge.success).toBe(false);
    // Refused by its length in units, not by the count of characters after trimming.
    expect(huge.error?.issues.map((issue) => issue.code)).toEqual(['too_big']);
  });
});
