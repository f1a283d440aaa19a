import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportView, LiveEvent } from '@ruche/contracts';
import { importsApi } from '../../../api/imports';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { useLiveEvents } from '../../dashboard/useLiveEvents';
import { isInProgress } from './importMapping';

/** The SSE event the worker sends as it goes: `{ importId, status, mode, processedRows, rowCount }`. */
const IMPORT_PROGRESS = 'import.progress';
/** The fallback while the worker has the import (events may be missed, or not subscribed). */
const POLL_MS = 2000;
/** A burst of progress events gives one refetch at most this often. */
const REFETCH_EVERY_MS = 400;

/** Calls `action` once, `delay` ms after the first of a burst of calls (trailing, at most that often). */
function useThrottledCallback(action: () => void, delay: number): () => void {
  const actionRef = useRef(action);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    actionRef.current = action;
  });
  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      actionRef.current();
    }, delay);
  }, [delay]);
}

/**
 * One import, kept fresh while the worker processes it: refetched on each `import.progress` event
 * about it (throttled), and polled 2 s after each answer while queued or running. `replace` shows
 * the answer of a mutation at once, until the next fetch (which it also starts).
 */
export function useImportView(importId: string) {
  const organization = useCurrentOrganization();
  const resource = useResource(`imports:${organization.id}:${importId}`, (signal) =>
    importsApi.get(organization.id, importId, signal),
  );
  const { data, loading, reload } = resource;
  const dataRef = useRef(data);
  useEffect(() => {
    dataRef.current = data;
  });
  const [latest, setLatest] = useState<{ view: ImportView; over: ImportView | undefined } | null>(
    null,
  );
  const view = latest && latest.over === data && latest.view.id === importId ? latest.view : data;
  const inProgress = view !== undefined && isInProgress(view.status);

  const reloadSoon = useThrottledCallback(reload, REFETCH_EVERY_MS);
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type === IMPORT_PROGRESS && event.data.importId === importId) reloadSoon();
    },
    [importId, reloadSoon],
  );
  const live = useLiveEvents(
    organization.id,
    inProgress && organization.can('events.subscribe'),
    onEvent,
  );

  // Polls 2 s after each answer (never aborting a slow one) while the worker has the import.
  useEffect(() => {
    if (!inProgress || loading) return;
    const timer = window.setTimeout(reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [inProgress, loading, reload]);

  const replace = useCallback(
    (next: ImportView) => {
      setLatest({ view: next, over: dataRef.current });
      reload();
    },
    [reload],
  );

  return { resource, view, replace, live: live.status };
}
