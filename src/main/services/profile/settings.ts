/** Settings: read whole, replaced a section at a time, announced to the window on change. */
import type { Settings, SettingsPatch } from '../../../shared/model';
import type { EventBus } from '../../events';
import type { ProfileStore } from './profile';

export class SettingsService {
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(
    private readonly profile: ProfileStore,
    private readonly events: EventBus,
  ) {}

  get(): Settings {
    return this.profile.settings;
  }

  async set(patch: SettingsPatch): Promise<Settings> {
    const next = await this.profile.update((profile) => ({
      ...profile,
      settings: { ...profile.settings, ...patch },
    }));
    this.events.emit('settings.changed', next.settings);
    for (const listener of this.listeners) listener(next.settings);
    return next.settings;
  }

  /** Lets other services react to a change (rules, scrollback, notifications). */
  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
