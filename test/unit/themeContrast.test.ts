/**
 * WCAG AA contrast of the two themes, computed from the stylesheet's own colour variables: every
 * pair the UI puts text or a meaningful mark on. (axe checks structure in jsdom, which has no
 * layout to measure contrast on; this checks the colours themselves.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, '../../src/renderer/src/styles.css'), 'utf8');

/** The custom properties declared in the first block whose selector list matches `selector`. */
function variables(selector: RegExp): Record<string, string> {
  const match = selector.exec(css);
  if (!match) throw new Error(`no block for ${String(selector)}`);
  const body = css.slice(match.index + match[0].length, css.indexOf('}', match.index));
  const found: Record<string, string> = {};
  for (const match of body.matchAll(/--([\w-]+):\s*([^;]+);/g)) found[match[1]!] = match[2]!.trim();
  return found;
}

function channel(value: number): number {
  const scaled = value / 255;
  return scaled <= 0.03928 ? scaled / 12.92 : ((scaled + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((part) => channel(parseInt(part, 16))) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const TEXT = 4.5;
const MARK = 3; // focus rings, flag bars and icons: non-text contrast (WCAG 1.4.11)

/** [foreground, background, minimum ratio] */
const PAIRS: Array<[string, string, number]> = [
  ...['bg', 'surface', 'surface-2', 'row-focus-bg', 'row-hover-bg'].flatMap(
    (background): Array<[string, string, number]> => [
      ['text', background, TEXT],
      ['text-muted', background, TEXT],
      ['accent', background, TEXT],
      ['danger', background, TEXT],
      ['focus', background, MARK],
      ['flag-outline', background, MARK],
    ],
  ),
  ['ok', 'surface', TEXT],
  ['ok', 'surface-2', TEXT],
  ['accent-text', 'accent', TEXT],
  ['danger-text', 'danger', TEXT],
  ['warn-text', 'warn-bg', TEXT],
  ['flag-text', 'flag-bg', TEXT],
  ['flag-outline', 'flag-bg', MARK],
  ['surface', 'text', TEXT], // the toast
];

const themes = {
  light: variables(/:root,\s*\[data-theme='light'\]\s*\{/),
  dark: variables(/\[data-theme='dark'\]\s*\{/),
};

describe('theme contrast', () => {
  it('uses the same dark colours whether chosen or followed from the system', () => {
    const followed = variables(/:root:not\(\[data-theme='light'\]\)\s*\{/);
    expect(followed).toEqual(themes.dark);
  });

  it('computes contrast as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  describe.each(Object.entries(themes))('the %s theme', (_name, colours) => {
    it.each(PAIRS)('%s on %s reaches %s:1', (foreground, background, minimum) => {
      const fg = colours[foreground];
      const bg = colours[background];
      expect(fg, foreground).toBeDefined();
      expect(bg, background).toBeDefined();
      expect(contrast(fg!, bg!)).toBeGreaterThanOrEqual(minimum);
    });
  });
});
