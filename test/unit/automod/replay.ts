/** Feeds scripted messages to an automod and collects what each one got. */
import {
  createAutomod,
  type AutomodConfigInput,
  type AutomodRuleInput,
  type Verdict,
} from '../../../src/shared/automod';
import { Random } from '../../../src/sandbox/core/random';

/** One scripted message: who, what, and how long after the one before (1 s unless said). */
export interface Step {
  user: string;
  text: string;
  afterMs?: number;
  name?: string;
  room?: string;
  firstInRoom?: boolean;
}

export const START = Date.UTC(2026, 0, 1);

/** The verdicts of each step, in order, under these rules (their defaults filled in). */
export function replay(
  rules: AutomodRuleInput[],
  steps: Step[],
  limits?: AutomodConfigInput['limits'],
): Verdict[][] {
  const automod = createAutomod({ rules, ...(limits ? { limits } : {}) });
  let at = START;
  return steps.map((step, index) => {
    at += step.afterMs ?? 1000;
    return automod.check({
      id: stepId(index),
      roomKey: step.room ?? 'acc/room',
      userId: step.user,
      userName: step.name ?? step.user,
      text: step.text,
      at,
      ...(step.firstInRoom === undefined ? {} : { firstInRoom: step.firstInRoom }),
    });
  });
}

/** The id `replay` gives the message of step `index`. */
export function stepId(index: number): string {
  return `m${index}`;
}

/** `count` steps from fresh users `prefix0`, `prefix1`…, texts made by `text(index)`. */
export function manyUsers(
  count: number,
  prefix: string,
  text: (index: number) => string,
  afterMs = 1000,
): Step[] {
  return Array.from({ length: count }, (_, index) => ({
    user: `${prefix}${index}`,
    text: text(index),
    afterMs,
  }));
}

/** `count` steps from one user. */
export function oneUser(user: string, texts: string[], afterMs = 1000): Step[] {
  return texts.map((text) => ({ user, text, afterMs }));
}

/** Random-looking but fixed junk for prefixes and suffixes: index → 3–7 letters and digits. */
export function junk(index: number): string {
  return new Random(index).string(3 + (index % 5), 'qwxzjkv0123456789bnmp');
}
