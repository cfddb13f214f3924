/** The real HTTP client of provider calls, counted, so a test can tell how many attempts a call made. */
import { sendWithUndici, type HttpRequest, type HttpSend } from '../../src/main/providers/http';

/** Each request as `describe` puts it (by default `METHOD url`), in order. */
export function countingSend(
  describe: (request: HttpRequest) => string = (request) => `${request.method} ${request.url}`,
) {
  const calls: string[] = [];
  const send: HttpSend = (request, signal) => {
    calls.push(describe(request));
    return sendWithUndici(request, signal);
  };
  return { send, calls };
}
