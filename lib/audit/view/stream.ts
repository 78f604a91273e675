/**
 * A byte stream over an async iterable of text, pulled one chunk at a time: the next chunk is produced only when the
 * reader asks for it, so a slow download holds one chunk in memory, not the whole export. Cancelling the download
 * (the browser goes away) ends the source too.
 *
 * A source that fails never ends the stream cleanly (that would be a silently truncated file): `onError` may return
 * last words (a marker that makes the file visibly incomplete), which are delivered, and then the stream errors, so
 * the HTTP response is cut off without its end and the browser reports the download as failed.
 */
export function textStream(
  source: AsyncIterator<string>,
  onError: (error: unknown) => string | undefined = () => undefined,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let failed: { error: unknown } | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The marker was delivered on the previous pull: erroring with it still queued would discard it.
        if (failed) return controller.error(failed.error);
        try {
          const { value, done } = await source.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (error) {
          const marker = onError(error);
          if (typeof marker !== 'string') return controller.error(error);
          failed = { error };
          controller.enqueue(encoder.encode(marker));
        }
      },
      async cancel() {
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** An iterator that yields `first` and then the rest of `source` (the first chunk was read to catch early errors). */
export async function* prepend(first: string, source: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    yield first;
    for (;;) {
      const { value, done } = await source.next();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (the download was cancelled): let the source release what it holds.
    await source.return?.();
  }
}
