/** Where the app keeps its files, asked of Electron in one place. */
import type { App } from 'electron';

export interface AppPaths {
  /** Settings, the audit log, window state and (with the fallback) encrypted secrets. */
  userData: string;
  /** The OS language, e.g. `ko-KR`. */
  locale: string;
}

export function appPaths(app: Pick<App, 'getPath' | 'getLocale'>): AppPaths {
  return { userData: app.getPath('userData'), locale: app.getLocale() };
}
