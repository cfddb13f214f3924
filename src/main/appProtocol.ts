/**
 * The renderer's files served from `app://moddeck/…` instead of `file://`: a page on a file URL
 * may read other files, and a custom standard scheme gives the page an origin of its own. No
 * electron import: the Electron entry registers the scheme and hands `protocol.handle` the handler
 * built here; package:check calls the same handler under plain Node.
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'moddeck';
/** The page the window opens. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** What `protocol.registerSchemesAsPrivileged` is given, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: relative URLs and an origin of its own; secure: treated like https (module scripts,
  // the CSP's 'self'); supportFetchAPI: the renderer's module loader fetches through it.
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * The file under `rootDir` that `url` names, or null when it names none there: another scheme or
 * host, a path that climbs out of the folder (`..`, an encoded slash or backslash), a NUL.
 */
export function appFilePath(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const root = resolve(rootDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return null;
  }
  return file;
}

/** Answers `app://` requests with the files under `rootDir`; anything else is a 404. */
export function createAppProtocolHandler(
  rootDir: string,
  read: (path: string) => Promise<Buffer> = (path) => readFile(path),
): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = appFilePath(request.url, rootDir);
    if (file === null) return new Response('Not found', { status: 404 });
    let body: Buffer;
    try {
      body = await read(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}

/**
 * The page the window opens: the dev server's URL only when running from source
 * (`ELECTRON_RENDERER_URL`, set by `npm run dev`), the bundled page on the app scheme otherwise.
 */
export function rendererPageUrl(isPackaged: boolean, devServerUrl: string | undefined): string {
  if (!isPackaged && devServerUrl) return devServerUrl;
  return APP_PAGE_URL;
}
