import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReconciliationRunView } from '@ruche/contracts';
import { reconciliationApi } from '../../api/reconciliation';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';

/** How often a run in progress is read again. */
const POLL_MS = 1000;

export const runInProgress = (run: ReconciliationRunView) =>
  run.status === 'queued' || run.status === 'running';

/**
 * The automatic pass followed on a bank account's page: the one an import started, the one
 * "Relancer" started, or one still in progress when the page opens. Polled every second while
 * queued or running; `onFinished` is called once when it ends (done or failed).
 */
export function useReconciliationRun(bankAccountId: string, onFinished: () => void) {
  const organization = useCurrentOrganization();
  const [run, setRun] = useState<ReconciliationRunView | null>(null);
  /** The last poll failed (network...): polling goes on, the message says it. */
  const [pollError, setPollError] = useState<unknown>(null);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  });

  const follow = useCallback((next: ReconciliationRunView) => {
    setPollError(null);
    setRun(next);
    if (!runInProgress(next)) finished.current();
  }, []);

  // A run still going on when the page opens (an import made elsewhere, a reload) is followed too.
  useEffect(() => {
    const controller = new AbortController();
    reconciliationApi.latestRun(organization.id, bankAccountId, controller.signal).then(
      (latest) => {
        if (!controller.signal.aborted && latest && runInProgress(latest))
          setRun((current) => current ?? latest);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [organization.id, bankAccountId]);

  useEffect(() => {
    if (!run || !runInProgress(run)) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      reconciliationApi.run(organization.id, run.id, controller.signal).then(
        (next) => {
          if (controller.signal.aborted) return;
          setPollError(null);
          setRun(next);
          if (!runInProgress(next)) finished.current();
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setPollError(error);
          // Try again a second later: a new object restarts this effect.
          setRun((current) => (current ? { ...current } : current));
        },
      );
    }, POLL_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [organization.id, run]);

  const dismiss = useCallback(() => setRun(null), []);
  return { run, pollError, follow, dismiss };
}
