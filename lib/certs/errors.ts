export type CertificateErrorCode =
  | 'empty'
  | 'not-pem'
  | 'truncated-pem'
  | 'invalid-base64'
  | 'wrong-pem-type'
  | 'multiple-blocks'
  | 'invalid-der'
  | 'trailing-data'
  | 'unsupported-key'
  | 'no-webcrypto';

/** Every failure to read certificate material; `message` is a sentence an operator can act on. */
export class CertificateError extends Error {
  readonly name = 'CertificateError';

  constructor(
    readonly code: CertificateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCertificateError(error: unknown): error is CertificateError {
  return error instanceof CertificateError;
}
