import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line of a request (or a job) carries. */
export interface RequestScope {
  requestId: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}
