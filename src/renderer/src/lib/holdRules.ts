/** Whether any rule would hold a message for review (the Held column shows while one would). */
import type { Settings } from '../../../shared/model';

/**
 * A word rule (global or a room's) or an automod rule, turned on, whose action is `hold`. A room
 * whose service cannot hide only flags, but its rule still says what the moderator asked for.
 */
export function hasHoldRule(
  settings: Pick<Settings, 'rules' | 'automod'> | null | undefined,
): boolean {
  if (!settings) return false;
  const { rules, automod } = settings;
  if (rules.global.some((rule) => rule.action === 'hold')) return true;
  for (const list of Object.values(rules.rooms)) {
    if (list.some((rule) => rule.action === 'hold')) return true;
  }
  return (
    automod.enabled && automod.config.rules.some((rule) => rule.enabled && rule.action === 'hold')
  );
}
