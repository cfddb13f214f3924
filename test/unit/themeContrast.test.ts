/**
 * WCAG AA contrast of the two themes, computed from the stylesheet's own colour variables (each a
 * `light-dark(light, dark)` pair): every pair the UI puts text or a meaningful mark on. (axe checks
 * structure in jsdom, which has no layout to measure contrast on; this checks the colours.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, '../../src/renderer/src/styles.css'), 'utf8');

/** Every colour variable of the `:root` block, as its light and its dark value. */
function palette(): Record<'light' | 'dark', Record<string, string>> {
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  for (const match of css.matchAll(/--([\w-]+):\s*light-dark\(([^,]+),\s*([^;]+)\);/g)) {
    const [, name, lightValue, darkValue] = match as unknown as [string, string, string, string];
    light[name] = lightValue.trim();
    dark[name] = darkValue.trim();
  }
  return { light, dark };
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
/** The backgrounds a form control sits on: the app, panels and forms, panel headers and notes. */
const CONTROL_BACKGROUNDS = ['bg', 'surface', 'surface-2'];

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
  // An input's outline is its only boundary: its fill is --surface, often on --surface itself.
  ...CONTROL_BACKGROUNDS.map((background): [string, string, number] => [
    'control-border',
    background,
    MARK,
  ]),
];

/** The declarations of every rule whose selector list names `element` bare (`input`, `input:x`). */
function rulesFor(element: string): string[] {
  const selector = new RegExp(`^${element}(?![\\w-])`);
  const rules = css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g);
  return [...rules]
    .filter(([, selectors]) => selectors!.split(',').some((part) => selector.test(part.trim())))
    .map(([, , body]) => body!);
}

const themes = palette();

describe('theme contrast', () => {
  it('gives every colour a light and a dark value', () => {
    for (const name of new Set(
      PAIRS.flatMap(([foreground, background]) => [foreground, background]),
    )) {
      expect(themes.light[name], name).toMatch(/^#[0-9a-f]{6}$/i);
      expect(themes.dark[name], name).toMatch(/^#[0-9a-f]{6}$/i);
    }
    expect(Object.keys(themes.dark)).toEqual(Object.keys(themes.light));
  });

  it('computes contrast as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it.each(['input', 'select', 'textarea'])('outlines every %s with --control-border', (element) => {
    const borders = rulesFor(element).flatMap((body) =>
      [...body.matchAll(/border(?:-color)?:\s*([^;]+);/g)].map(([, value]) => value!.trim()),
    );
    expect(borders.length).toBeGreaterThan(0);
    for (const border of borders) expect(border).toContain('var(--control-border)');
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
