import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '@ruche/contracts';
import { orgsApi } from '../../api/orgs';

export type LiveStatus = 'connecting' | 'live' | 'offline';
/** A received event, numbered in arrival order (a stable list key). */
export type LiveEntry = LiveEvent & { seq: number };

const MAX_EVENTS = 50;

function parseLiveEvent(raw: string): LiveEvent | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const event = value as Partial<LiveEvent>;
    if (typeof event.type !== 'string' || typeof event.at !== 'string') return null;
    return {
      type: event.type,
      at: event.at,
      organizationId: String(event.organizationId),
      data: event.data ?? {},
    };
  } catch {
    return null;
  }
}

/**
 * Subscribes to the organization's Server-Sent Events. Heartbeats only keep the status "live";
 * every other event is prepended to `events` and reported to `onEvent`.
 */
export function useLiveEvents(
  orgId: string,
  enabled: boolean,
  onEvent: (event: LiveEvent) => void,
) {
  const onEventRef = useRef(onEvent);
  const seq = useRef(0);
  useEffect(() => {
    onEventRef.current = onEvent;
  });
  const [state, setState] = useState<{ orgId: string; status: LiveStatus; events: LiveEntry[] }>({
    orgId,
    status: 'connecting',
    events: [],
  });

  useEffect(() => {
    if (!enabled) return;
    setState({ orgId, status: 'connecting', events: [] });
    const setStatus = (status: LiveStatus) => setState((previous) => ({ ...previous, status }));
    const source = new EventSource(orgsApi.eventsUrl(orgId));
    source.onopen = () => setStatus('live');
    source.onerror = () =>
      setStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.onmessage = (message: MessageEvent<string>) => {
      const event = parseLiveEvent(message.data);
      if (!event) return;
      if (event.type === 'heartbeat') {
        setStatus('live');
        return;
      }
      seq.current += 1;
      const entry = { ...event, seq: seq.current };
      setState((previous) => ({
        ...previous,
        status: 'live',
        events: [entry, ...previous.events].slice(0, MAX_EVENTS),
      }));
      onEventRef.current(event);
    };
    return () => source.close();
  }, [orgId, enabled]);

  const current = enabled && state.orgId === orgId;
  return { status: current ? state.status : 'offline', events: current ? state.events : [] };
}
