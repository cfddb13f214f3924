/**
 * Problems the moderator should know about, which main finds at start or while running: a damaged
 * settings file, a data folder that cannot be written, audit lines waiting to be written. The
 * window shows each until it is dismissed. A warning carries its kind and the values it names, so
 * the window can say it in the moderator's language; `message` says the same in English words for
 * the log and for a kind the window does not know.
 */
import { z } from 'zod';

const Common = {
  /** Stable while the problem lasts: a warning dismissed in the window stays dismissed. */
  id: z.string().min(1).max(200),
  message: z.string(),
};

/** One thing that could not be used of a damaged settings file. */
export const ProfileLoss = z.discriminatedUnion('what', [
  /** Nothing could be used: the file is not JSON, or not an object. */
  z.object({ what: z.literal('file'), reason: z.string() }),
  /** The list of accounts is not a list. */
  z.object({ what: z.literal('accountList') }),
  /** Accounts that could not be read, or repeated an earlier account's id. */
  z.object({ what: z.literal('accounts'), count: z.number().int().min(1) }),
  /** The settings are not an object: every section took its default. */
  z.object({ what: z.literal('settings') }),
  /** Settings sections that took their defaults. */
  z.object({ what: z.literal('sections'), names: z.array(z.string()).min(1) }),
  /** Word rules left out of their list; the rest of the list is in use. */
  z.object({ what: z.literal('rules'), count: z.number().int().min(1) }),
  /** Fields this ModDeck does not know (from a newer version, or edited by hand). */
  z.object({ what: z.literal('unknownFields') }),
  /** The file says it is a version this ModDeck does not write. */
  z.object({ what: z.literal('version'), version: z.string() }),
  /** The file began with a byte-order mark; it was read without it. */
  z.object({ what: z.literal('byteOrderMark') }),
]);
export type ProfileLoss = z.infer<typeof ProfileLoss>;

export const AppWarning = z.discriminatedUnion('kind', [
  /**
   * The settings file was damaged: what could be read is in use, the original is kept as `copy`.
   * `copy` is null while no copy could be kept; nothing is saved over the file until one is.
   */
  z.object({
    ...Common,
    kind: z.literal('profileDamaged'),
    file: z.string(),
    copy: z.string().nullable(),
    /** Why no copy could be kept, while `copy` is null. */
    copyProblem: z.string().optional(),
    lost: z.array(ProfileLoss),
  }),
  /** The settings file could not be read at all: defaults are in use and nothing is saved over it. */
  z.object({
    ...Common,
    kind: z.literal('profileUnreadable'),
    file: z.string(),
    reason: z.string(),
  }),
  /** Audit lines are waiting in memory because the audit folder cannot be written. */
  z.object({
    ...Common,
    kind: z.literal('auditPending'),
    folder: z.string(),
    count: z.number().int().min(1),
    reason: z.string(),
  }),
  z.object({ ...Common, kind: z.literal('sandboxFailed'), reason: z.string() }),
  /** Message history cannot be written (a full disk, or the store stopped); the feeds carry on. */
  z.object({ ...Common, kind: z.literal('memoryPaused'), file: z.string(), reason: z.string() }),
  /** The history file could not be read: it was moved aside as `copy`, and a new one started. */
  z.object({
    ...Common,
    kind: z.literal('memoryMovedAside'),
    file: z.string(),
    copy: z.string(),
    reason: z.string(),
  }),
  /** Message history is not keeping up with the feeds: some batches are not stored. */
  z.object({ ...Common, kind: z.literal('memoryBehind') }),
  /**
   * Saved word rules the word filter cannot run (syntax an earlier version accepted): they are left
   * out, the rest of their lists filter. `patterns` names the first few.
   */
  z.object({
    ...Common,
    kind: z.literal('rulesNotInUse'),
    count: z.number().int().min(1),
    patterns: z.array(z.string()),
  }),
  /** Anything else, in English words only. */
  z.object({ ...Common, kind: z.literal('other') }),
]);
export type AppWarning = z.infer<typeof AppWarning>;
