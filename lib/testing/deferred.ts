/**
 * A promise and the functions that settle it: a barrier a test awaits, or hands to the code, to order events
 * without waiting "long enough". (Promise.withResolvers, which Node 20 lacks.) A barrier that is never settled is
 * caught by Vitest's per-test timeout.
 */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  return { promise, resolve, reject };
}
