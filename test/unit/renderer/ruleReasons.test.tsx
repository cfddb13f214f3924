/**
 * A rule's reason in the window's language: said from its values when a flag or hold has them, in
 * its English words when it has only those (flags stored by earlier versions, word rules' holds).
 */
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { englishReason, type ReasonData } from '../../../src/shared/automod';
import { parseAutomodConfig } from '../../../src/shared/automod/config';
import type { ChatEvent, FlagSpan, Held } from '../../../src/shared/chat';
import { DetectorHitText } from '../../../src/renderer/src/components/DetectorHitText';
import { createI18n } from '../../../src/renderer/src/i18n';
import { backtestDetector } from '../../../src/renderer/src/lib/detectorBacktest';
import { reasonText } from '../../../src/renderer/src/lib/ruleReasons';
import type { RoomFeed } from '../../../src/renderer/src/stores/feed';
import { ENGLISH, KOREAN, RAID } from '../../support/reasonCases';
import {
  T0,
  chatEvent,
  column,
  fakeDeck,
  findRow,
  flaggedColumn,
  renderDeck,
  resetStores,
  row,
} from './deckHarness';
import { renderWithI18n } from './render';

const A = 'acc/alpha';

describe('reasonText', () => {
  it('says every kind in English exactly as the reason’s words', () => {
    const { t } = createI18n('en');
    for (const [why, words] of ENGLISH) {
      expect(reasonText(t, { reason: 'stored words', why })).toBe(words);
      expect(englishReason(why)).toBe(words);
    }
  });

  it('says every kind in Korean, with Korean durations and counts', () => {
    const { t } = createI18n('ko');
    for (const [why, words] of KOREAN) expect(reasonText(t, { why })).toBe(words);
    expect(new Set(KOREAN.map(([why]) => why.kind)).size).toBe(
      new Set(ENGLISH.map(([why]) => why.kind)).size,
    );
  });

  it('keeps the English words of a reason without values, or with values it does not know', () => {
    const { t } = createI18n('ko');
    expect(reasonText(t, { reason: 'same message 4 times in 20 s' })).toBe(
      'same message 4 times in 20 s',
    );
    const later = { kind: 'weather', windy: true } as unknown as ReasonData;
    expect(reasonText(t, { reason: 'too windy', why: later })).toBe('too windy');
    expect(reasonText(t, {})).toBe('');
  });

  it('says chat text in a reason as it is, never as a template', () => {
    const { t } = createI18n('en');
    const name = '{{people}} $t(app.title) {{span}}';
    expect(reasonText(t, { why: { ...RAID, name } })).toBe(
      `copy-paste raid “${name}”: 6 people in 4 s`,
    );
  });
});

describe('reasons on the deck', () => {
  beforeEach(resetStores);

  const repeats: ReasonData = { kind: 'repeats', exact: true, times: 4, spanMs: 20_000 };
  const hostile = '<b>FREE</b> {{count}} $t(app.title)';
  const raid: ReasonData = { ...RAID, name: hostile };
  const withValues: FlagSpan = {
    ruleId: 'automod-repeats',
    reason: englishReason(repeats),
    why: repeats,
    severity: 'medium',
  };
  // As a version before reason values stored it.
  const wordsOnly: FlagSpan = {
    ruleId: 'automod-flood',
    reason: '5 messages in 3 s',
    severity: 'medium',
  };
  const hold: Held = {
    ruleId: 'shield',
    reason: englishReason({ kind: 'shieldRaid', raid }),
    why: { kind: 'shieldRaid', raid },
    at: T0 + 3000,
  };

  function deck(language: 'en' | 'ko') {
    return fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          events: [
            chatEvent(A, { id: 'new', text: 'follow me', flags: [withValues] }),
            chatEvent(A, { id: 'old', text: 'a b c d e', flags: [wordsOnly] }),
            chatEvent(A, {
              id: 'held',
              text: 'FREE followers',
              state: 'hidden',
              flags: [{ ruleId: 'automod-raid', reason: englishReason(raid), why: raid }],
              held: hold,
              receivedAt: T0 + 3000,
            }),
            chatEvent(A, { id: 'plain' }),
          ],
        },
      ],
      {},
      { language },
    );
  }

  function marker(element: HTMLElement, ruleId: string): HTMLElement {
    const found = element.querySelector<HTMLElement>(`.row-automod[data-rule-id="${ruleId}"]`);
    if (!found) throw new Error(`no marker of ${ruleId}`);
    return found;
  }

  function heldReason(): HTMLElement {
    const found = document.querySelector<HTMLElement>(
      'section[data-column="held"] article[data-message-id="held"] .held-reason',
    );
    if (!found) throw new Error('no held reason');
    return found;
  }

  it('shows a flag’s reason in Korean from its values, and a flag without values in its words', async () => {
    deck('ko');
    renderDeck();
    const inRoom = await findRow('new', A);
    expect(marker(inRoom, 'automod-repeats')).toHaveTextContent('20초 동안 같은 메시지 4번');
    expect(marker(inRoom, 'automod-repeats')).toHaveAccessibleName(
      '자동 검열: 20초 동안 같은 메시지 4번',
    );
    expect(inRoom).toHaveAccessibleName(/자동 검열: 20초 동안 같은 메시지 4번$/);
    expect(marker(row('old', column(A)), 'automod-flood')).toHaveTextContent('5 messages in 3 s');
    // The Flagged column says the same.
    await waitFor(() => row('new', flaggedColumn()));
    expect(marker(row('new', flaggedColumn()), 'automod-repeats')).toHaveTextContent(
      '20초 동안 같은 메시지 4번',
    );
    expect(marker(row('old', flaggedColumn()), 'automod-flood')).toHaveTextContent(
      '5 messages in 3 s',
    );
  });

  it('shows a hold’s reason in Korean, its chat text as text', async () => {
    deck('ko');
    renderDeck();
    await findRow('plain', A);
    await waitFor(() => heldReason());
    expect(heldReason().textContent).toBe(`보호막: 복사-붙여넣기 테러 “${hostile}”: 4초 동안 6명`);
    expect(heldReason().querySelector('b')).toBeNull();
    const inRoom = row('held', column(A));
    expect(within(inRoom).getByRole('note')).toHaveTextContent(
      `복사-붙여넣기 테러 “${hostile}”: 4초 동안 6명`,
    );
  });

  it('shows the same reasons in English words in English', async () => {
    deck('en');
    renderDeck();
    const inRoom = await findRow('new', A);
    expect(marker(inRoom, 'automod-repeats')).toHaveTextContent('same message 4 times in 20 s');
    await waitFor(() => heldReason());
    expect(heldReason().textContent).toBe(hold.reason);
  });
});

describe('reasons in a detector backtest', () => {
  beforeEach(resetStores);

  it('gives each buffered hit the verdict’s values', () => {
    const events: ChatEvent[] = [0, 1, 2].map((index) =>
      chatEvent(A, {
        id: `s${index}`,
        text: 'follow me for daily giveaways',
        user: { id: 'spammer', name: 'Spammer' },
        receivedAt: T0 + index * 2000,
      }),
    );
    const feed = {
      keys: events.map((event) => event.id),
      byKey: new Map(events.map((event) => [event.id, event])),
    } as unknown as RoomFeed;
    const [rule] = parseAutomodConfig({ rules: [{ id: 'r', kind: 'repeats' }] }).rules;
    const { flagged } = backtestDetector({ [A]: feed }, rule!);
    const why = { kind: 'repeats', exact: true, times: 3, spanMs: 4000 };
    expect(flagged.map((hit) => [hit.reason, hit.why])).toEqual([
      ['same message 3 times in 4 s', why],
      ['same message 3 times in 4 s', why],
      ['same message 3 times in 4 s', why],
    ]);
  });

  it('says a hit’s reason in Korean from its values, and in its words without them', () => {
    const why: ReasonData = { kind: 'flood', messages: 5, spanMs: 3000 };
    renderWithI18n(
      <ul>
        <li>
          <DetectorHitText userName="Spammer" reason={englishReason(why)} why={why} text="a" />
        </li>
        <li>
          <DetectorHitText userName="Old" reason="5 messages in 3 s" text="b" />
        </li>
      </ul>,
      'ko',
    );
    const [withValues, wordsOnly] = screen.getAllByRole('listitem');
    expect(withValues).toHaveTextContent('3초 동안 메시지 5개');
    expect(withValues).not.toHaveTextContent('5 messages in 3 s');
    expect(wordsOnly).toHaveTextContent('5 messages in 3 s');
  });
});
