/**
 * The webPreferences the Electron security checklist (DESIGN.md) fixes for the app's window: an
 * isolated, sandboxed renderer without Node, web security on, no insecure content, no webviews.
 * No electron import, so package:check can hold the packaged window to the same list.
 */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
} as const;
