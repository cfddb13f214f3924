/**
 * Damaged settings files, each with what a start on it must recover and what it must say was
 * left out. Shared by the profile tests in main and the warning banner's tests in the window.
 */
import { defaultSettings, type Settings } from '../../src/shared/model';
import type { ProfileLoss } from '../../src/shared/warnings';

export const GOOD_ACCOUNT = {
  id: 'acc_good',
  provider: 'flipflop',
  name: 'Good',
  baseUrl: 'https://api.example',
  appApiKey: 'key-1',
};

export const OTHER_ACCOUNT = {
  id: 'acc_other',
  provider: 'vchatcloud',
  name: 'Shop',
  baseUrl: 'https://vchat.example',
  eventbusUrl: 'wss://vchat.example:9001/eventbus/websocket',
  moderator: { clientKey: 'mod-key', nickName: 'Mod' },
};

const RULE_A = { id: 'r1', pattern: 'spam' };
const RULE_B = { id: 'r2', pattern: 'scam', wholeWord: true };
const ROOM_RULE = { id: 'r3', pattern: 'buy now' };

/** The settings of a whole file, as a start on it must use them. */
export const WHOLE_SETTINGS: Settings = {
  ...defaultSettings(),
  theme: 'dark',
  scrollback: 2000,
  // The sandbox stays off: these profiles are about the file, not about the accounts it adds.
  embeddedSandbox: false,
  rules: { global: [RULE_A, RULE_B], rooms: { 'acc_good/1001': [ROOM_RULE] } },
};

/** A settings file as ModDeck writes it, with two accounts, a theme and rules. */
export const WHOLE_PROFILE = {
  version: 1,
  accounts: [GOOD_ACCOUNT, OTHER_ACCOUNT],
  settings: WHOLE_SETTINGS,
};

export interface DamagedProfile {
  name: string;
  bytes: Uint8Array;
  /** The accounts a start on it keeps, by id. */
  accounts: string[];
  /** Settings a start on it must use (the rest: defaults or the whole file's, as it says). */
  settings: Partial<Settings>;
  /** What the warning must say was left out (a `file` loss's reason may be any words). */
  lost: Array<Partial<ProfileLoss> & Pick<ProfileLoss, 'what'>>;
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function json(value: unknown): Uint8Array {
  return text(JSON.stringify(value, null, 2));
}

const BOTH = ['acc_good', 'acc_other'];
const DEFAULTS = defaultSettings();
const NOTHING = { accounts: [], settings: DEFAULTS };

export const DAMAGED_PROFILES: DamagedProfile[] = [
  { name: 'not JSON', bytes: text('{"accounts": [ oops'), ...NOTHING, lost: [{ what: 'file' }] },
  { name: 'an empty file', bytes: text(''), ...NOTHING, lost: [{ what: 'file' }] },
  {
    name: 'truncated JSON',
    bytes: json(WHOLE_PROFILE).subarray(0, 120),
    ...NOTHING,
    lost: [{ what: 'file' }],
  },
  {
    name: 'a list',
    bytes: text('[]'),
    ...NOTHING,
    lost: [{ what: 'file', reason: 'it holds a list, not settings' }],
  },
  {
    name: 'null',
    bytes: text('null'),
    ...NOTHING,
    lost: [{ what: 'file', reason: 'it holds null, not settings' }],
  },
  {
    name: 'a string',
    bytes: text('"text"'),
    ...NOTHING,
    lost: [{ what: 'file', reason: 'it holds a string, not settings' }],
  },
  {
    name: 'a number',
    bytes: text('42'),
    ...NOTHING,
    lost: [{ what: 'file', reason: 'it holds a number, not settings' }],
  },
  {
    name: 'true',
    bytes: text('true'),
    ...NOTHING,
    lost: [{ what: 'file', reason: 'it holds true or false, not settings' }],
  },
  {
    name: 'bytes that are not UTF-8',
    bytes: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    ...NOTHING,
    lost: [{ what: 'file', reason: 'it is not UTF-8 text' }],
  },
  {
    name: 'accounts as an object',
    bytes: json({ ...WHOLE_PROFILE, accounts: { acc_good: GOOD_ACCOUNT } }),
    accounts: [],
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'accountList' }],
  },
  {
    name: 'accounts as a string',
    bytes: json({ ...WHOLE_PROFILE, accounts: 'acc_good' }),
    accounts: [],
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'accountList' }],
  },
  {
    name: 'one bad account among good ones',
    bytes: json({
      ...WHOLE_PROFILE,
      accounts: [GOOD_ACCOUNT, { id: 'acc_irc', provider: 'irc', name: 'IRC' }, OTHER_ACCOUNT],
    }),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'accounts', count: 1 }],
  },
  {
    name: 'two accounts with one id',
    bytes: json({
      ...WHOLE_PROFILE,
      accounts: [GOOD_ACCOUNT, { ...OTHER_ACCOUNT, id: 'acc_good' }, OTHER_ACCOUNT],
    }),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'accounts', count: 1 }],
  },
  {
    name: 'settings as a list',
    bytes: json({ ...WHOLE_PROFILE, settings: [] }),
    accounts: BOTH,
    settings: DEFAULTS,
    lost: [{ what: 'settings' }],
  },
  {
    name: 'settings: null',
    bytes: json({ ...WHOLE_PROFILE, settings: null }),
    accounts: BOTH,
    settings: DEFAULTS,
    lost: [{ what: 'settings' }],
  },
  {
    name: 'one settings section of the wrong type',
    bytes: json({ ...WHOLE_PROFILE, settings: { ...WHOLE_SETTINGS, theme: 7 } }),
    accounts: BOTH,
    settings: { ...WHOLE_SETTINGS, theme: 'system' },
    lost: [{ what: 'sections', names: ['theme'] }],
  },
  {
    name: 'two sections out of range',
    bytes: json({
      ...WHOLE_PROFILE,
      settings: { ...WHOLE_SETTINGS, scrollback: 3, layout: { columns: 'all' } },
    }),
    accounts: BOTH,
    settings: { ...WHOLE_SETTINGS, scrollback: 5000, layout: DEFAULTS.layout },
    lost: [{ what: 'sections', names: ['scrollback', 'layout'] }],
  },
  {
    name: 'a rule list with one bad rule',
    bytes: json({
      ...WHOLE_PROFILE,
      settings: {
        ...WHOLE_SETTINGS,
        rules: { ...WHOLE_SETTINGS.rules, global: [RULE_A, { id: '', pattern: 5 }, RULE_B] },
      },
    }),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'rules', count: 1 }],
  },
  {
    // JSON.parse makes "__proto__" an own key: copied as a room key it would be the list's prototype.
    name: 'a bad rule and a room key "__proto__"',
    bytes: text(
      JSON.stringify({
        ...WHOLE_PROFILE,
        settings: {
          ...WHOLE_SETTINGS,
          rules: {
            global: [RULE_A, { id: '', pattern: 5 }, RULE_B],
            rooms: { ...WHOLE_SETTINGS.rules.rooms, PROTO: [RULE_A] },
          },
        },
      }).replace('"PROTO"', '"__proto__"'),
    ),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'rules', count: 2 }],
  },
  {
    name: 'an unknown future version',
    bytes: json({ ...WHOLE_PROFILE, version: 2 }),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'version', version: '2' }],
  },
  {
    name: 'a byte-order mark',
    bytes: text(`\uFEFF${JSON.stringify(WHOLE_PROFILE)}`),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'byteOrderMark' }],
  },
  {
    name: 'fields this version does not know',
    bytes: json({
      ...WHOLE_PROFILE,
      accounts: [{ ...GOOD_ACCOUNT, region: 'eu' }, OTHER_ACCOUNT],
      settings: { ...WHOLE_SETTINGS, holdQueue: { enabled: true } },
      syncedAt: 1_763_780_400_000,
    }),
    accounts: BOTH,
    settings: WHOLE_SETTINGS,
    lost: [{ what: 'unknownFields' }],
  },
  {
    name: 'several problems at once',
    bytes: text(
      `\uFEFF${JSON.stringify({
        ...WHOLE_PROFILE,
        version: '1.5',
        accounts: [GOOD_ACCOUNT, null, 'acc_other'],
        settings: { ...WHOLE_SETTINGS, language: 'fr', rules: { global: [RULE_A, null] } },
      })}`,
    ),
    accounts: ['acc_good'],
    settings: { ...WHOLE_SETTINGS, language: 'system', rules: { global: [RULE_A], rooms: {} } },
    lost: [
      { what: 'byteOrderMark' },
      { what: 'version', version: '"1.5"' },
      { what: 'accounts', count: 2 },
      { what: 'sections', names: ['language'] },
      { what: 'rules', count: 1 },
    ],
  },
];
