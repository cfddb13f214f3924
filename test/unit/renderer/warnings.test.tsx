import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { VirtuosoMockContext } from 'react-virtuoso';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/renderer/src/App';
import type { LanguageCode } from '../../../src/renderer/src/i18n';
import type { AppInfo, Result } from '../../../src/shared/contract';
import type { AppWarning, ProfileLoss } from '../../../src/shared/warnings';
import { DAMAGED_PROFILES } from '../../support/damagedProfiles';
import { fakeDeck, resetStores } from './deckHarness';
import { appInfoAnswer } from './fakeBridge';
import { renderWithI18n } from './render';

const FILE = '/home/mod/.config/ModDeck/settings.json';
const COPY = `${FILE}.damaged-2026-11-22T03-00-00.000Z`;
const AUDIT = '/home/mod/.config/ModDeck/audit';

function infoWith(warnings: AppWarning[]): Result<AppInfo> {
  const answer = appInfoAnswer();
  return { ok: true, value: { ...answer.value, warnings } };
}

function damaged(lost: ProfileLoss[], copy: string | null = COPY): AppWarning {
  return {
    id: 'profile',
    kind: 'profileDamaged',
    file: FILE,
    copy,
    ...(copy === null ? { copyProblem: 'the disk is full' } : {}),
    lost,
    message: 'English words from main',
  };
}

function auditPending(id: string, count: number): AppWarning {
  return {
    id,
    kind: 'auditPending',
    folder: AUDIT,
    count,
    reason: 'the disk is full',
    message: 'English words from main',
  };
}

function renderApp(language: LanguageCode = 'en') {
  return renderWithI18n(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 2000, itemHeight: 24 }}>
      <App />
    </VirtuosoMockContext.Provider>,
    language,
  );
}

/** Words each kind of loss must bring to the banner, in each language. */
const LOSS_WORDS: Record<LanguageCode, (loss: ProfileLoss) => string[]> = {
  en: (loss) => {
    switch (loss.what) {
      case 'file':
        return [`nothing in it could be read (${loss.reason}), so default settings`];
      case 'accountList':
        return ['the list of accounts could not be read'];
      case 'accounts':
        return [`${loss.count} account${loss.count === 1 ? '' : 's'} could not be read`];
      case 'settings':
        return ['the settings could not be read and are back to their defaults'];
      case 'sections':
        return ['these settings are back to their defaults: '];
      case 'rules':
        return [`${loss.count} word rule${loss.count === 1 ? '' : 's'} could not be read`];
      case 'unknownFields':
        return ['fields or values this version of ModDeck cannot keep'];
      case 'version':
        return [`another version of ModDeck (version ${loss.version})`];
      case 'byteOrderMark':
        return ['byte-order mark'];
    }
  },
  ko: (loss) => {
    switch (loss.what) {
      case 'file':
        return [`내용을 전혀 읽을 수 없어(${loss.reason})`];
      case 'accountList':
        return ['계정 목록을 읽을 수 없습니다'];
      case 'accounts':
        return [`계정 ${loss.count}개를 읽을 수 없습니다`];
      case 'settings':
        return ['설정을 읽을 수 없어 모두 기본값으로'];
      case 'sections':
        return ['다음 설정을 기본값으로 되돌렸습니다: '];
      case 'rules':
        return [`단어 규칙 ${loss.count}개를 읽을 수 없어`];
      case 'unknownFields':
        return ['그대로 유지할 수 없는 항목이나 값'];
      case 'version':
        return [`다른 버전의 ModDeck이 저장한 파일입니다(버전 ${loss.version})`];
      case 'byteOrderMark':
        return ['바이트 순서 표시(BOM)'];
    }
  },
};

/** Section names as each language shows them. */
const SECTION_NAMES: Record<LanguageCode, Record<string, string>> = {
  en: {
    theme: 'theme',
    language: 'language',
    scrollback: 'messages kept per room',
    layout: 'open columns',
  },
  ko: { theme: '테마', language: '언어', scrollback: '방마다 보관할 메시지 수', layout: '열린 열' },
};

const VARIANTS = DAMAGED_PROFILES.flatMap((variant) =>
  (['en', 'ko'] as const).map((language) => [variant.name, language, variant] as const),
);

describe('warnings from main in the window', () => {
  beforeEach(resetStores);

  it.each(VARIANTS)(
    'says what a damaged settings file lost and where the original is, until dismissed: %s (%s)',
    async (_name, language, variant) => {
      // A loss of the whole file names the parser's reason, whatever it was.
      const lost = variant.lost.map((loss) =>
        loss.what === 'file' ? { reason: 'Unexpected end of JSON input', ...loss } : loss,
      ) as ProfileLoss[];
      fakeDeck([], { 'app.info': () => infoWith([damaged(lost)]) }, { language });
      const user = userEvent.setup();
      renderApp(language);

      const banner = await screen.findByRole('region', {
        name: language === 'en' ? 'Warnings' : '경고',
      });
      const alert = within(banner).getByRole('alert');
      const text = alert.textContent ?? '';
      expect(text).toContain(FILE);
      expect(text).toContain(COPY);
      for (const loss of lost) {
        for (const words of LOSS_WORDS[language](loss)) expect(text).toContain(words);
        if (loss.what === 'sections') {
          expect(text).toContain(
            loss.names.map((name) => SECTION_NAMES[language][name] ?? name).join(', '),
          );
        }
      }
      expect(text).not.toMatch(/warnings\.|undefined|\{\{/);
      expect(text).not.toContain('English words from main');

      await user.click(
        within(alert).getByRole('button', { name: language === 'en' ? 'Dismiss' : '닫기' }),
      );
      expect(screen.queryByRole('region', { name: /Warnings|경고/ })).toBeNull();
    },
  );

  it('says so while no copy of a damaged file could be kept', async () => {
    fakeDeck([], {
      'app.info': () => infoWith([damaged([{ what: 'accounts', count: 2 }], null)]),
    });
    renderApp();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `ModDeck found problems in its settings file ${FILE}: 2 accounts could not be read. A copy of the original could not be kept (the disk is full), so ModDeck saves no change to the file until it can.`,
    );
  });

  it('says when the settings file could not be read at all', async () => {
    fakeDeck(
      [],
      {
        'app.info': () =>
          infoWith([
            {
              id: 'profile',
              kind: 'profileUnreadable',
              file: FILE,
              reason: 'it is a folder, not a file',
              message: 'English words from main',
            },
          ]),
      },
      { language: 'ko' },
    );
    renderApp('ko');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `ModDeck이 설정 파일 ${FILE}을(를) 읽지 못해(it is a folder, not a file) 기본 설정으로 시작했습니다.`,
    );
  });

  it('tells the moderator while audit lines wait to be written, and clears when they are', async () => {
    const { bridge } = fakeDeck([]);
    renderApp();
    await waitFor(() =>
      expect(bridge.calls.some((call) => call.channel === 'app.info')).toBe(true),
    );
    expect(screen.queryByRole('alert')).toBeNull();

    act(() => bridge.emit('app.warnings', [auditPending('audit-1', 1)]));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `1 audit log line could not be written to ${AUDIT} (the disk is full). ModDeck keeps it in memory and in exports, and keeps trying.`,
    );
    act(() => bridge.emit('app.warnings', [auditPending('audit-1', 3)]));
    expect(screen.getByRole('alert')).toHaveTextContent(
      `3 audit log lines could not be written to ${AUDIT} (the disk is full). ModDeck keeps them in memory and in exports, and keeps trying.`,
    );
    act(() => bridge.emit('app.warnings', []));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('names saved word rules that are left out, in English and Korean', async () => {
    const rulesWarning = (count: number, patterns: string[]): AppWarning => ({
      id: 'rules',
      kind: 'rulesNotInUse',
      count,
      patterns,
      message: 'English words from main',
    });
    const { bridge } = fakeDeck([]);
    const { unmount } = renderApp();
    await waitFor(() =>
      expect(bridge.calls.some((call) => call.channel === 'app.info')).toBe(true),
    );
    act(() => bridge.emit('app.warnings', [rulesWarning(1, ['(?=x)bad'])]));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '1 saved word rule cannot be used by this version of ModDeck and is left out ((?=x)bad). Change it in Settings, Word rules; the other rules still filter.',
    );
    act(() => bridge.emit('app.warnings', [rulesWarning(5, ['a(?=b)', 'c(?!d)', '(?<=e)f'])]));
    expect(screen.getByRole('alert')).toHaveTextContent(
      '5 saved word rules cannot be used by this version of ModDeck and are left out (a(?=b); c(?!d); (?<=e)f…).',
    );
    unmount();

    const korean = fakeDeck([], {}, { language: 'ko' });
    renderApp('ko');
    await waitFor(() =>
      expect(korean.bridge.calls.some((call) => call.channel === 'app.info')).toBe(true),
    );
    act(() => korean.bridge.emit('app.warnings', [rulesWarning(2, ['a(?=b)', 'c(?!d)'])]));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '저장된 단어 규칙 2개를 이 버전의 ModDeck에서 쓸 수 없어 제외했습니다(a(?=b); c(?!d)).',
    );
  });

  it('says it in Korean too', async () => {
    const { bridge } = fakeDeck([], {}, { language: 'ko' });
    renderApp('ko');
    await waitFor(() =>
      expect(bridge.calls.some((call) => call.channel === 'app.info')).toBe(true),
    );
    act(() => bridge.emit('app.warnings', [auditPending('audit-1', 4)]));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `감사 기록 4줄을 ${AUDIT}에 쓰지 못했습니다(the disk is full). ModDeck이 메모리에 보관해 내보내기에 포함하고, 계속 다시 시도합니다.`,
    );
  });

  it('keeps a dismissed warning hidden while it lasts, and shows the next one', async () => {
    const { bridge } = fakeDeck([], {
      'app.info': () => infoWith([auditPending('audit-1', 1)]),
    });
    const user = userEvent.setup();
    renderApp();
    await user.click(
      within(await screen.findByRole('alert')).getByRole('button', { name: 'Dismiss' }),
    );
    act(() => bridge.emit('app.warnings', [auditPending('audit-1', 2)]));
    expect(screen.queryByRole('alert')).toBeNull();

    act(() => bridge.emit('app.warnings', [auditPending('audit-2', 1)]));
    expect(await screen.findByRole('alert')).toHaveTextContent('1 audit log line could not');
  });

  it('does not let a late app.info answer undo a newer app.warnings list', async () => {
    // Main answers every `app.info` asked so far only when the test says so.
    const waiting: Array<(info: Result<AppInfo>) => void> = [];
    const { bridge } = fakeDeck([], {
      'app.info': () => new Promise<Result<AppInfo>>((resolve) => waiting.push(resolve)),
    });
    renderApp();
    await waitFor(() =>
      expect(bridge.calls.some((call) => call.channel === 'app.info')).toBe(true),
    );
    act(() => bridge.emit('app.warnings', [auditPending('audit-2', 2)]));
    await act(async () => {
      for (const answer of waiting) answer(infoWith([auditPending('audit-1', 1)]));
      // Every promise reaction the answer sets off runs before the next task: this waits for all
      // of them, not for any amount of time.
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('alert')).toHaveTextContent('2 audit log lines could not be written');
  });
});
