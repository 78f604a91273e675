/** Runs `fn` once the browser has painted the current frame: the moment a user sees what was just rendered. */
export function afterNextPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/** Performance marks and measures the benchmarks read (`bench/listing.ts`); harmless everywhere else. */
export const PERF = {
  listInteractive: 'keyshift:list-interactive',
  searchInput: 'keyshift:search-input',
  search: 'keyshift:search',
} as const;
