export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'rate_limited' | 'unavailable';

export interface DomainErrorDetail {
  field: string;
  code: string;
  message: string;
}

/**
 * The one error type that business code throws. `code` is `<domain>.<reason>`;
 * the API maps `kind` to an HTTP status in a single exception filter.
 */
export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: string;
  readonly field?: string;
  readonly details: DomainErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    options: { field?: string; details?: DomainErrorDetail[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.field = options.field;
    this.details =
      options.details ?? (options.field ? [{ field: options.field, code, message }] : []);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static invalid(code: string, message: string, field?: string): DomainError {
    return new DomainError('invalid', code, message, { field });
  }

  static notFound(code: string, message = 'Not found'): DomainError {
    return new DomainError('not_found', code, message);
  }

  static conflict(code: string, message: string, field?: string): DomainError {
    return new DomainError('conflict', code, message, { field });
  }

  static forbidden(code: string, message = 'Forbidden'): DomainError {
    return new DomainError('forbidden', code, message);
  }

  static unauthorized(code: string, message = 'Authentication required'): DomainError {
    return new DomainError('unauthorized', code, message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
