import { useState } from 'react';
import type { Page } from '@ruche/contracts';
import type { PageQuery } from './orgs';
import { useResource, type Resource } from './useResource';

const PAGE_SIZE = 50;

/** A paginated list: `setOffset` moves between pages; a new `key` starts again at the first page. */
export function usePagedResource<T>(
  key: string,
  load: (page: PageQuery, signal: AbortSignal) => Promise<Page<T>>,
): Resource<Page<T>> & { setOffset: (offset: number) => void } {
  const [position, setPosition] = useState({ key, offset: 0 });
  const offset = position.key === key ? position.offset : 0;
  const resource = useResource(`${key}?offset=${offset}`, (signal) =>
    load({ limit: PAGE_SIZE, offset }, signal),
  );
  return { ...resource, setOffset: (next) => setPosition({ key, offset: next }) };
}
