/**
 * How main puts a thrown value into words: the error envelope a request answers with, and the
 * text of a schema's complaints. Services, providers and the IPC layer all use it, so it depends
 * on nothing but the shared contract.
 */
import { z } from 'zod';
import type { ErrorInfo } from '../shared/contract';
import { AppError, ErrorCode } from '../shared/errors';

/** Maps anything thrown to an envelope error; only `AppError` messages are shown as they are. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof z.ZodError) {
    return { code: ErrorCode.InvalidInput, message: describeIssues(error) };
  }
  return {
    code: ErrorCode.Internal,
    message: `Something went wrong inside ModDeck: ${thrownWords(error)}`,
  };
}

/**
 * The words of anything thrown. An `AppError` is already worded for the moderator; another error
 * that wraps a cause is told by the cause, which says why (fetch's "fetch failed" wraps "connect
 * ECONNREFUSED 127.0.0.1:443"); any other value is shown as text.
 */
export function thrownWords(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return String(error);
}

/** "name: must not be empty; baseUrl: must be a https:// URL" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
