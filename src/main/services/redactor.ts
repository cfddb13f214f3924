/**
 * Removes secrets from text before it leaves the main process (error envelopes, logs, the audit
 * log). Every secret read from or written to the secret store is registered here, together with
 * the forms it travels in (a Basic authorization value, a URL-encoded copy).
 */
const MIN_SECRET_LENGTH = 4;
const MASK = '[redacted]';

/** Header-like `name: value` or `name=value` pairs whose value is a credential. */
const CREDENTIAL_PAIR =
  /\b(authorization|proxy-authorization|x-auth-token|api_key|api-key|apikey|chattoken|chat_token|token|secret|password|appapisecret)(["']?\s*[:=]\s*["']?)(basic\s+|bearer\s+)?[^\s"',;&]+/gi;

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  /** Registers a secret (and its URL-encoded form) so it never appears in redacted text. */
  add(secret: string): void {
    for (const form of [secret, encodeURIComponent(secret)]) {
      if (form.length >= MIN_SECRET_LENGTH && !this.secrets.has(form)) {
        this.secrets.add(form);
        this.pattern = null;
      }
    }
  }

  /** Registers the HTTP Basic credential built from a user name and a secret. */
  addBasicCredential(user: string, secret: string): void {
    this.add(secret);
    this.add(Buffer.from(`${user}:${secret}`, 'utf8').toString('base64'));
  }

  redact(text: string): string {
    let result = text.replace(CREDENTIAL_PAIR, (_match, name: string, separator: string) => {
      return `${name}${separator}${MASK}`;
    });
    const pattern = this.compiled();
    if (pattern) result = result.replace(pattern, MASK);
    return result;
  }

  private compiled(): RegExp | null {
    if (this.pattern === null && this.secrets.size > 0) {
      // Longest first, so a secret that contains another is masked whole.
      const alternatives = [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return this.pattern;
  }
}
