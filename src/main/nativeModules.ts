/**
 * Where Electron finds native modules built for it when ModDeck runs from source. node_modules
 * holds keytar built for Node, which the tests load; Electron refuses a module built for another
 * ABI, so `npm start` builds a second copy here (scripts/electronNative.ts) and the Electron entry
 * loads that one. A packaged app needs none of this: electron-builder rebuilt its copy.
 */
import { join } from 'node:path';

/** The folder, under the app's node_modules so that `npm ci` starts it afresh. */
export function electronNativeDir(appPath: string): string {
  return join(appPath, 'node_modules', '.moddeck-electron');
}

/** The keytar package built for Electron. */
export function keytarForElectron(appPath: string): string {
  return join(electronNativeDir(appPath), 'node_modules', 'keytar');
}
