import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_PAGE_URL,
  appFilePath,
  createAppProtocolHandler,
  rendererPageUrl,
} from '../../src/main/appProtocol';
import { useTempDir } from '../support/tempDir';

const ROOT = '/opt/ModDeck/out/renderer';

describe('the app:// scheme', () => {
  it('maps its page and assets to files under the renderer folder', () => {
    expect(appFilePath(APP_PAGE_URL, ROOT)).toBe(`${ROOT}/index.html`);
    expect(appFilePath('app://moddeck/', ROOT)).toBe(`${ROOT}/index.html`);
    expect(appFilePath('app://moddeck/assets/index-1a2b.js?v=1#x', ROOT)).toBe(
      `${ROOT}/assets/index-1a2b.js`,
    );
  });

  it('refuses paths that climb out of the renderer folder', () => {
    for (const url of [
      'app://moddeck/..%2f..%2fpackage.json',
      'app://moddeck/assets/..%2F..%2F..%2Fetc/passwd',
      'app://moddeck/..%5c..%5cpackage.json',
      'app://moddeck/index.html%00.js',
      'app://moddeck/%E0%A4%A',
    ]) {
      expect(appFilePath(url, ROOT), url).toBeNull();
    }
  });

  it('keeps dot segments the URL parser resolves inside the folder', () => {
    expect(appFilePath('app://moddeck/%2e%2e/%2e%2e/package.json', ROOT)).toBe(
      `${ROOT}/package.json`,
    );
  });

  it('serves nothing for another host or scheme', () => {
    expect(appFilePath('app://elsewhere/index.html', ROOT)).toBeNull();
    expect(appFilePath('file:///opt/ModDeck/out/renderer/index.html', ROOT)).toBeNull();
    expect(appFilePath('not a url', ROOT)).toBeNull();
  });

  it('answers with the file and its type, and 404 for what it refuses or lacks', async () => {
    const root = await useTempDir();
    await mkdir(join(root, 'renderer/assets'), { recursive: true });
    await writeFile(join(root, 'renderer/index.html'), '<!doctype html><title>ModDeck</title>');
    await writeFile(join(root, 'renderer/assets/app.js'), 'export {};');
    await writeFile(join(root, 'secret.txt'), 'outside');
    const handle = createAppProtocolHandler(join(root, 'renderer'));

    const page = await handle(new Request(APP_PAGE_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>ModDeck</title>');
    const script = await handle(new Request('app://moddeck/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    expect((await handle(new Request('app://moddeck/..%2fsecret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://moddeck/missing.js'))).status).toBe(404);
  });
});

describe('the page the window opens', () => {
  it('is the dev server only when running from source', () => {
    expect(rendererPageUrl(false, 'http://localhost:5173/')).toBe('http://localhost:5173/');
    expect(rendererPageUrl(false, undefined)).toBe(APP_PAGE_URL);
  });

  it('is always the bundled page in a packaged app, whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererPageUrl(true, 'https://phish.example/')).toBe(APP_PAGE_URL);
  });
});
