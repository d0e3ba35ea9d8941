import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { toProblem } from "@/api/problem";
import type { AccessStore } from "@/auth/access";

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: { screen?: string };
  }
}

/** Retries only what may succeed on a second try (the network, a service restarting), never a 4xx. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const problem = toProblem(error);
  if (problem.status === 0 && problem.code === "network_error") return failureCount < 2;
  return problem.status >= 500 && failureCount < 2;
}

export function createQueryClient(access: AccessStore): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A screen's read refused for the role: hide the screen (its menu entry) from now on.
        const problem = toProblem(error);
        const screen = query.meta?.screen;
        if (screen && problem.status === 403 && problem.code === "forbidden") access.deny(screen);
      },
    }),
    mutationCache: new MutationCache(),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
