import { QueryClient } from '@tanstack/react-query';

/** Every page's query client: server-rendered data arrives fresh; refetch only when it could have changed. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: true, retry: false } },
  });
}
