/**
 * How resolver code leaves a handler early. AppSync's runtime has no
 * try/catch for resolver code, so these are thrown by util/runtime and
 * caught only by the executor.
 */

export interface FieldError {
  message: string;
  errorType?: string;
  data?: unknown;
  errorInfo?: unknown;
}

/** util.error(): the field resolves to null with this error. */
export class ResolverErrorSignal {
  constructor(readonly error: FieldError) {}
}

/** runtime.earlyReturn(): skip ahead with a result. */
export class EarlyReturnSignal {
  constructor(
    readonly result: unknown,
    readonly skipTo: 'END' | 'NEXT' | undefined,
  ) {}
}
