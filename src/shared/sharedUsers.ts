import type { ChatUser } from './chat';

/**
 * One object per chatter and room instead of one per message: the same people write most of a
 * room's messages, and each copy of a user (id, name, avatar URL) kept in main's buffers or the
 * window's feeds cost about 200 bytes. A user whose name or avatar changed gets the new object.
 */
export class SharedUsers {
  private readonly users = new Map<string, ChatUser>();

  constructor(private readonly limit = 10_000) {}

  /** The user last seen with this id, if still remembered. */
  get(userId: string): ChatUser | undefined {
    return this.users.get(userId);
  }

  share(user: ChatUser): ChatUser {
    const known = this.users.get(user.id);
    if (known && known.name === user.name && known.avatar === user.avatar) return known;
    // A room with more chatters than this starts over rather than grow without bound.
    if (!known && this.users.size >= this.limit) this.users.clear();
    this.users.set(user.id, user);
    return user;
  }
}
