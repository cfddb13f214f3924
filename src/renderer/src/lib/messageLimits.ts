/**
 * What a provider's admin messages can carry where the contract's shapes are wider than the
 * service: a VChatCloud broadcast is a notice (text only, at most 100 characters) and its direct
 * message a whisper (text only).
 */
import type { ProviderId } from '../../../shared/model';

export interface MessageLimits {
  /** Broadcasts and direct messages carry text only: no COMMAND, custom type or data. */
  textOnly: boolean;
  /** A broadcast's text is at most this many characters. */
  broadcastMax?: number;
}

export const MESSAGE_LIMITS: Record<ProviderId, MessageLimits> = {
  flipflop: { textOnly: false },
  vchatcloud: { textOnly: true, broadcastMax: 100 },
};

/** Whether a broadcast of this shape fits the provider's limits. */
export function broadcastFits(provider: ProviderId, rich: boolean, text: string): boolean {
  const limits = MESSAGE_LIMITS[provider];
  if (limits.textOnly && rich) return false;
  return limits.broadcastMax === undefined || [...text.trim()].length <= limits.broadcastMax;
}
