/** How the providers put a thrown value into words for the moderator. */
import { AppError } from '../../shared/errors';

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
