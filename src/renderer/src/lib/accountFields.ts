/**
 * The account form's fields and what is wrong with them, named as the form names them ("API
 * address", not `baseUrl`). The limits are the shared schema's (`AccountDraft`), read from its
 * issues, so the form and main never disagree on what a field takes.
 */
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import {
  AccountDraft,
  secureUrlProblem,
  type ProviderId,
  type UrlProblem,
} from '../../../shared/model';

/** The form's fields: one input each. */
export interface AccountFields {
  provider: ProviderId;
  name: string;
  baseUrl: string;
  appApiKey: string;
  eventbusUrl: string;
  moderatorId: string;
  moderatorName: string;
  secret: string;
  /** Gossip's CONNECT (FlipFlop only): the virtual host, the login and its passcode. */
  gossipVirtualHost: string;
  gossipLogin: string;
  gossipPasscode: string;
}

export type FieldKey = Exclude<keyof AccountFields, 'provider'>;

/** The fields in the order the form shows them. */
export const FIELD_ORDER: readonly FieldKey[] = [
  'name',
  'baseUrl',
  'appApiKey',
  'eventbusUrl',
  'secret',
  'moderatorId',
  'moderatorName',
  'gossipVirtualHost',
  'gossipLogin',
  'gossipPasscode',
];

export type FieldProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'url'; problem: UrlProblem; secure: string; plain: string }
  | { kind: 'invalid' };

const URL_SCHEMES: Partial<Record<FieldKey, { secure: string; plain: string }>> = {
  baseUrl: { secure: 'https:', plain: 'http:' },
  eventbusUrl: { secure: 'wss:', plain: 'ws:' },
};

/** The form field a path of the draft schema belongs to. */
export function fieldOfPath(path: readonly PropertyKey[]): FieldKey | null {
  const [first, second] = path.map(String);
  if (first === 'moderator') {
    if (second === 'appUserId' || second === 'clientKey') return 'moderatorId';
    if (second === 'appUserName' || second === 'nickName') return 'moderatorName';
    return 'moderatorId';
  }
  if (first === 'gossip') return second === 'login' ? 'gossipLogin' : 'gossipVirtualHost';
  if (first === 'gossipPasscode') return 'gossipPasscode';
  const fields: readonly string[] = ['name', 'baseUrl', 'appApiKey', 'eventbusUrl', 'secret'];
  return first !== undefined && fields.includes(first) ? (first as FieldKey) : null;
}

/**
 * What is wrong with each field of `draft` (the first problem of each), by the form's field;
 * `secretRequired` when the secret must be typed (a new account, or a changed address).
 */
export function accountProblems(
  draft: unknown,
  fields: AccountFields,
  secretRequired: boolean,
): Partial<Record<FieldKey, FieldProblem>> {
  const problems: Partial<Record<FieldKey, FieldProblem>> = {};
  if (secretRequired && fields.secret === '') problems.secret = { kind: 'empty' };
  const parsed = AccountDraft.safeParse(draft);
  if (parsed.success) return problems;
  for (const issue of parsed.error.issues) {
    const field = fieldOfPath(issue.path);
    if (field === null || problems[field]) continue;
    problems[field] = problemOf(issue, field, fields[field]);
  }
  return problems;
}

function problemOf(issue: z.core.$ZodIssue, field: FieldKey, value: string): FieldProblem {
  if (value.trim() === '') return { kind: 'empty' };
  const schemes = URL_SCHEMES[field];
  if (schemes) {
    const problem = secureUrlProblem(value.trim(), schemes);
    if (problem !== null) return { kind: 'url', problem, ...schemes };
  }
  if (issue.code === 'too_big') return { kind: 'tooLong', max: Number(issue.maximum) };
  if (issue.code === 'too_small') return { kind: 'empty' };
  return { kind: 'invalid' };
}

/** A field's problem in words, naming the field by its label. */
export function describeProblem(t: TFunction, label: string, problem: FieldProblem): string {
  switch (problem.kind) {
    case 'empty':
      return t('accountForm.problems.empty', { field: label });
    case 'tooLong':
      return t('accountForm.problems.tooLong', { field: label, max: problem.max });
    case 'url':
      return t(`accountForm.problems.url.${problem.problem}`, {
        field: label,
        secure: `${problem.secure}//`,
        plain: `${problem.plain}//`,
      });
    case 'invalid':
      return t('accountForm.problems.invalid', { field: label });
  }
}

/**
 * Main's refusal of a draft ("baseUrl: must be a https:// URL; name: must not be empty") with
 * each path named by the form's label.
 */
export function withFieldLabels(message: string, labelOf: (field: FieldKey) => string): string {
  return message
    .split('; ')
    .map((part) => {
      const match = /^([\w.]+): (.*)$/s.exec(part);
      const field = match ? fieldOfPath((match[1] ?? '').split('.')) : null;
      return match && field ? `${labelOf(field)}: ${match[2] ?? ''}` : part;
    })
    .join('; ');
}
