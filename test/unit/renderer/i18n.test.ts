import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { createI18n, resources } from '../../../src/renderer/src/i18n';
import { ko } from '../../../src/renderer/src/i18n/ko';
import { rowText, template } from '../../../src/renderer/src/hooks/useDeckText';

type Tree = { [key: string]: string | Tree };

/** Every leaf of a resource object as `a.b.c` → string. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') found.set(path, value);
    else for (const [leaf, text] of leaves(value, path)) found.set(leaf, text);
  }
  return found;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!).sort();
}

const english = leaves(en);
const korean = leaves(ko);

describe('the UI strings', () => {
  it('has a Korean string for every English key, and no Korean key English lacks', () => {
    expect(english.size).toBeGreaterThan(300);
    const missing = [...english.keys()].filter((key) => !korean.has(key));
    const extra = [...korean.keys()].filter((key) => !english.has(key));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    const empty = [...korean].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('gives every Korean string the placeholders of its English one', () => {
    const mismatched = [...english]
      .filter(
        ([key, text]) => placeholders(text).join() !== placeholders(korean.get(key) ?? '').join(),
      )
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('translates what is written in words, not just copies the English', () => {
    // Names, codes and key labels may stay as they are; sentences may not.
    const copied = [...english]
      .filter(([key, text]) => korean.get(key) === text && /[a-z]{3,} [a-z]{3,}/i.test(text))
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it('knows every key the components ask for by name', () => {
    // The renderer's sources as text, read by the bundler (no file system in this project).
    const sources = import.meta.glob<string>('../../../src/renderer/src/**/*.{ts,tsx}', {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const asked = new Set<string>();
    for (const source of Object.values(sources)) {
      for (const match of source.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g)) asked.add(match[1]!);
      // Keys kept in tables, e.g. `label: 'userCard.directMessage'`.
      for (const match of source.matchAll(/label: '([a-z]+\.[A-Za-z0-9_.]+)'/g))
        asked.add(match[1]!);
    }
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    expect(asked.size).toBeGreaterThan(100);
    const i18n = createI18n('en');
    const unknown = [...asked].filter(
      (key) => !i18n.exists(key) && !i18n.exists(key, { count: 2 }),
    );
    expect(unknown).toEqual([]);
    expect(i18n.exists('rules.nothing')).toBe(false);
  });

  it('uses Korean plural rules: one form for every count', () => {
    const i18n = createI18n('ko');
    expect(i18n.t('rules.count', { count: 1 })).toBe('규칙 1개');
    expect(i18n.t('rules.count', { count: 3 })).toBe('규칙 3개');
    expect(Object.keys(resources)).toEqual(['en', 'ko']);
  });
});

describe('translation templates', () => {
  // Values that would trip a careless join: placeholders, replacement patterns, the marker itself.
  const awkward = ['{{user}}', '$& $1 $$', '\uE0000\uE000', '', 'ㅋㅋ bad word'];

  it('fills in a template exactly as the translation function does, in both languages', () => {
    for (const language of ['en', 'ko'] as const) {
      const t = createI18n(language).t;
      const rows = rowText(t);
      for (const user of awkward) {
        for (const text of awkward) {
          expect(rows.label(user, '12:34:56', text)).toBe(
            t('row.label', { user, time: '12:34:56', text }),
          );
        }
        expect(rows.openUser(user)).toBe(t('row.openUser', { user }));
        expect(rows.presence('join', user)).toBe(t('row.join', { user }));
        expect(rows.presence('leave', user)).toBe(t('row.leave', { user }));
        expect(rows.flaggedBy(user)).toBe(t('row.flaggedBy', { rules: user }));
        for (const text of awkward) {
          expect(rows.presenceLabel(user, text)).toBe(t('row.presenceLabel', { time: user, text }));
        }
      }
    }
  });

  it('places each value where its placeholder is, whatever order the names come in', () => {
    const t = createI18n('en').t;
    const fill = template(t, 'row.label', ['text', 'user', 'time']);
    expect(fill({ user: 'ana', time: '09:00', text: 'hello' })).toBe('ana, 09:00: hello');
  });
});
