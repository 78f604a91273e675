/**
 * A byte stream over an async iterable of text, pulled one chunk at a time: the next chunk is produced only when the
 * reader asks for it, so a slow download holds one chunk in memory, not the whole export. Cancelling the download
 * (the browser goes away) ends the source too.
 */
export function textStream(
  source: AsyncIterator<string>,
  onError: (error: unknown) => void = () => {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await source.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (error) {
          onError(error);
          controller.error(error);
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
