/**
 * The renderer's Content-Security-Policy, read from the page's own meta tag and parsed into its
 * directives, so a loosened policy (a new source, an `unsafe-` keyword, an extra directive such
 * as `script-src-elem` that overrides `script-src`) fails here.
 */
import { describe, expect, it } from 'vitest';
import page from '../../../src/renderer/index.html?raw';

const pageDocument = new DOMParser().parseFromString(page, 'text/html');
const policyTags = pageDocument.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]');

/** Directive name → its source expressions, lower-cased (CSP compares both without case). */
function parsePolicy(content: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of content.split(';')) {
    const [name, ...sources] = part.trim().toLowerCase().split(/\s+/);
    if (name === undefined || name === '') continue;
    // A browser keeps the first of a repeated directive and ignores the rest: refuse the repeat
    // here, as it can only confuse a reader about which one applies.
    if (directives.has(name)) throw new Error(`${name} appears twice in the policy`);
    directives.set(name, sources);
  }
  return directives;
}

const policy = parsePolicy(policyTags[0]?.getAttribute('content') ?? '');

describe("the renderer's Content-Security-Policy", () => {
  it('is one meta tag, ahead of every script and stylesheet it has to cover', () => {
    expect(policyTags).toHaveLength(1);
    const tag = policyTags[0];
    if (!tag) throw new Error('index.html has no CSP meta tag');
    const resources = pageDocument.querySelectorAll('script, link[rel="stylesheet"]');
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      expect(tag.compareDocumentPosition(resource) & Node.DOCUMENT_POSITION_FOLLOWING).not.toBe(0);
    }
  });

  it('falls back to nothing, and states no directive beyond the ones it means to', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect([...policy.keys()].sort()).toEqual([
      'base-uri',
      'connect-src',
      'default-src',
      'font-src',
      'form-action',
      'frame-src',
      'img-src',
      'media-src',
      'object-src',
      'script-src',
      'style-src',
      'worker-src',
    ]);
  });

  it("runs only the app's own script files: no inline script and no eval", () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    for (const [name, sources] of policy) {
      const unsafe = sources.filter(
        (source) => source.startsWith("'unsafe-") || source === "'wasm-unsafe-eval'",
      );
      expect(unsafe, name).toEqual([]);
    }
  });

  it('connects only to its own origin (the browser host bridge)', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });

  it('loads no plugins, frames or workers, no remote images or fonts, and cannot rebase or post a form', () => {
    expect(Object.fromEntries(policy)).toMatchObject({
      'object-src': ["'none'"],
      'frame-src': ["'none'"],
      'worker-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'style-src': ["'self'"],
      'font-src': ["'self'"],
      // No remote images: a chatter's avatar server would learn the moderator's address.
      'img-src': ["'self'", 'data:'],
      'media-src': ["'self'", 'data:'],
    });
  });
});
