/**
 * Where Electron finds native modules built for it when ModDeck runs from source. node_modules
 * holds keytar and better-sqlite3 built for Node, which the tests load; Electron refuses a module
 * built for another ABI, so `npm start` builds second copies here (scripts/electronNative.ts) and
 * the Electron entry loads those. A packaged app needs none of this: electron-builder rebuilt its
 * copies.
 */
import { join } from 'node:path';

/** The folder, under the app's node_modules so that `npm ci` starts it afresh. */
export function electronNativeDir(appPath: string): string {
  return join(appPath, 'node_modules', '.moddeck-electron');
}

/** The native packages built twice, for Node and for Electron. */
export const NATIVE_PACKAGES = ['keytar', 'better-sqlite3'] as const;

/** One native package's copy built for Electron. */
export function nativePackageForElectron(
  appPath: string,
  name: (typeof NATIVE_PACKAGES)[number],
): string {
  return join(electronNativeDir(appPath), 'node_modules', name);
}

/** The keytar package built for Electron. */
export function keytarForElectron(appPath: string): string {
  return nativePackageForElectron(appPath, 'keytar');
}

/** better-sqlite3's native module built for Electron (its `nativeBinding` option). */
export function sqliteBindingForElectron(appPath: string): string {
  return join(
    nativePackageForElectron(appPath, 'better-sqlite3'),
    'build',
    'Release',
    'better_sqlite3.node',
  );
}
