/**
 * Reading a settings file that may be damaged: whatever can be used is kept, piece by piece (each
 * account, each settings section, each word rule), and everything that cannot is named, so the
 * caller can keep the original aside and tell the moderator what was left out.
 */
import { isDeepStrictEqual } from 'node:util';
import { kindOf } from '../../../shared/channels';
import { AccountRecord, defaultSettings, Rule, Settings } from '../../../shared/model';
import type { ProfileLoss } from '../../../shared/warnings';

/** The version of the settings file this ModDeck writes. */
export const PROFILE_VERSION = 1;

export interface RecoveredProfile {
  accounts: AccountRecord[];
  settings: Settings;
  /** What could not be used, in the order the file holds it; empty when the file was whole. */
  lost: ProfileLoss[];
}

type JsonObject = Record<string, unknown>;

/**
 * The profile in `bytes`. Never throws: a file it cannot use at all gives defaults and says why.
 * A section or field missing from an older file takes its default and is not a loss.
 */
export function recoverProfile(bytes: Uint8Array): RecoveredProfile {
  const lost: ProfileLoss[] = [];
  let text: string;
  try {
    // `ignoreBOM` keeps a byte-order mark in the text, so it can be named below.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return nothingUsable('it is not UTF-8 text');
  }
  if (text.startsWith('\uFEFF')) {
    lost.push({ what: 'byteOrderMark' });
    text = text.slice(1);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return nothingUsable(error instanceof Error ? error.message : String(error), lost);
  }
  if (!isObject(value)) return nothingUsable(`it holds ${kindOf(value)}, not settings`, lost);

  const { version, accounts: storedAccounts, settings: storedSettings, ...unknown } = value;
  let unknownFields = Object.keys(unknown).length > 0;
  if (version !== undefined && version !== PROFILE_VERSION) {
    lost.push({ what: 'version', version: JSON.stringify(version).slice(0, 40) });
  }

  const accounts = recoverAccounts(storedAccounts, lost);
  unknownFields ||= accounts.unknownFields;
  const settings = recoverSettings(storedSettings, lost);
  unknownFields ||= settings.unknownFields;
  if (unknownFields) lost.push({ what: 'unknownFields' });
  return { accounts: accounts.records, settings: settings.settings, lost };
}

function nothingUsable(reason: string, lost: ProfileLoss[] = []): RecoveredProfile {
  return {
    accounts: [],
    settings: defaultSettings(),
    lost: [...lost, { what: 'file', reason }],
  };
}

/** Each account on its own; the first of two with one id is kept. */
function recoverAccounts(
  stored: unknown,
  lost: ProfileLoss[],
): { records: AccountRecord[]; unknownFields: boolean } {
  const records: AccountRecord[] = [];
  let unknownFields = false;
  if (stored === undefined) return { records, unknownFields };
  if (!Array.isArray(stored)) {
    lost.push({ what: 'accountList' });
    return { records, unknownFields };
  }
  let unreadable = 0;
  const seen = new Set<string>();
  for (const raw of stored as unknown[]) {
    const parsed = AccountRecord.safeParse(raw);
    if (!parsed.success || seen.has(parsed.data.id)) {
      unreadable += 1;
      continue;
    }
    seen.add(parsed.data.id);
    records.push(parsed.data);
    unknownFields ||= !isDeepStrictEqual(parsed.data, raw);
  }
  if (unreadable > 0) lost.push({ what: 'accounts', count: unreadable });
  return { records, unknownFields };
}

/** Each section on its own; in the word rules, each rule on its own. */
function recoverSettings(
  stored: unknown,
  lost: ProfileLoss[],
): { settings: Settings; unknownFields: boolean } {
  const settings = defaultSettings();
  const defaults = defaultSettings();
  let unknownFields = false;
  if (stored === undefined) return { settings, unknownFields };
  if (!isObject(stored)) {
    lost.push({ what: 'settings' });
    return { settings, unknownFields };
  }
  const sections = Settings.shape;
  const invalid: string[] = [];
  let droppedRules = 0;
  for (const [name, raw] of Object.entries(stored)) {
    if (!Object.hasOwn(sections, name)) {
      unknownFields = true;
      continue;
    }
    const section = name as keyof Settings;
    if (section === 'rules') {
      const rules = recoverRules(raw);
      if (!rules) {
        invalid.push(section);
        continue;
      }
      settings.rules = rules.rules;
      droppedRules += rules.dropped;
      unknownFields ||= rules.unknownFields;
      continue;
    }
    const parsed = sections[section].safeParse(raw);
    if (!parsed.success) {
      invalid.push(section);
      continue;
    }
    (settings as Record<keyof Settings, unknown>)[section] = parsed.data;
    unknownFields ||= !isDeepStrictEqual(parsed.data, withDefaults(defaults, section, raw));
  }
  if (invalid.length > 0) lost.push({ what: 'sections', names: invalid });
  if (droppedRules > 0) lost.push({ what: 'rules', count: droppedRules });
  return { settings, unknownFields };
}

/**
 * The word rules, keeping every rule that is whole: one bad rule costs only itself, not the
 * hundreds beside it. Null when the lists themselves cannot be found. A whole rule the word filter
 * cannot run (a lookaround saved by an earlier version) is kept, not lost: the feeds leave it out,
 * the rule editor marks it and a warning says so (`unusableRules.ts`), until the moderator
 * changes it.
 */
function recoverRules(
  stored: unknown,
): { rules: Settings['rules']; dropped: number; unknownFields: boolean } | null {
  if (!isObject(stored)) return null;
  const { global = [], rooms = {}, ...unknown } = stored;
  if (!Array.isArray(global) || !isObject(rooms)) return null;
  let dropped = 0;
  let unknownFields = Object.keys(unknown).length > 0;
  const keep = (list: unknown[]): Rule[] => {
    const kept: Rule[] = [];
    for (const raw of list) {
      let parsed = Rule.safeParse(raw);
      // A severity this version does not know (a later one's) costs the severity, not the rule:
      // the rule still matches, as a normal one.
      if (!parsed.success && isObject(raw) && Object.hasOwn(raw, 'severity')) {
        const { severity: _unknown, ...rest } = raw;
        parsed = Rule.safeParse(rest);
        unknownFields ||= parsed.success;
      }
      if (!parsed.success) {
        dropped += 1;
        continue;
      }
      kept.push(parsed.data);
      unknownFields ||= !isDeepStrictEqual(parsed.data, raw);
    }
    return kept;
  };
  const rules: Settings['rules'] = { global: keep(global as unknown[]), rooms: {} };
  for (const [roomKey, list] of Object.entries(rooms)) {
    if (!Array.isArray(list)) {
      dropped += 1;
      continue;
    }
    // JSON.parse makes "__proto__" an own key; assigned, it would replace the object's prototype
    // and the lists would fail the check below, every rule with them. It is no room key.
    if (roomKey === '__proto__') {
      dropped += list.length;
      continue;
    }
    rules.rooms[roomKey] = keep(list as unknown[]);
  }
  // The limits on the lists (lengths, room keys) still hold for what is kept.
  const checked = Settings.shape.rules.safeParse(rules);
  return checked.success ? { rules: checked.data, dropped, unknownFields } : null;
}

/**
 * A stored section as this version reads it when nothing in it is unknown: an object section
 * written before a field existed takes that field's default (the schema fills it in), which is
 * not a loss.
 */
function withDefaults(defaults: Settings, section: keyof Settings, raw: unknown): unknown {
  const fallback = defaults[section];
  if (!isObject(raw) || !isObject(fallback)) return raw;
  return { ...fallback, ...raw };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
