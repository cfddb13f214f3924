/** The warnings main holds for the window: raised, replaced and cleared by id, announced on change. */
import { isDeepStrictEqual } from 'node:util';
import type { AppWarning } from '../../shared/warnings';

/** What a service needs to raise and clear its own warnings. */
export interface WarningSink {
  /** Shows the warning, or replaces the one with its id. */
  set(warning: AppWarning): void;
  clear(id: string): void;
}

export class WarningBoard implements WarningSink {
  private readonly byId = new Map<string, AppWarning>();

  /** `announce` receives every current warning after each change (the `app.warnings` event). */
  constructor(private readonly announce: (warnings: AppWarning[]) => void = () => undefined) {}

  /** The current warnings, oldest first. */
  list(): AppWarning[] {
    return [...this.byId.values()];
  }

  set(warning: AppWarning): void {
    if (isDeepStrictEqual(this.byId.get(warning.id), warning)) return;
    this.byId.set(warning.id, warning);
    this.announce(this.list());
  }

  clear(id: string): void {
    if (this.byId.delete(id)) this.announce(this.list());
  }
}
