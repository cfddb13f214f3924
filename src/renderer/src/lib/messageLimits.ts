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

/** A broadcast's length as the services count it: code points of the trimmed text. */
export function broadcastLength(text: string): number {
  return [...text.trim()].length;
}

/** Why a broadcast of this shape does not fit the provider's limits; null when it fits. */
export function broadcastMisfit(
  provider: ProviderId,
  rich: boolean,
  text: string,
): 'textOnly' | 'tooLong' | null {
  const limits = MESSAGE_LIMITS[provider];
  if (limits.textOnly && rich) return 'textOnly';
  if (limits.broadcastMax !== undefined && broadcastLength(text) > limits.broadcastMax) {
    return 'tooLong';
  }
  return null;
}
