import { useSearchParams } from 'react-router';
import type { WorkspaceQuery } from '@ruche/contracts';
import { reconciliationApi, type WorkspaceFilters } from '../../../api/reconciliation';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';

export const WORKSPACE_STATUSES = ['unmatched', 'matched', 'ignored', 'all'] as const;
export const WORKSPACE_SUGGESTIONS = ['any', 'suggested', 'none'] as const;
export const WORKSPACE_DIRECTIONS = ['any', 'in', 'out'] as const;

type FilterKey = keyof WorkspaceFilters;

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
const oneOf = <T extends string>(options: readonly T[], value: string | null, fallback: T): T =>
  options.find((option) => option === value) ?? fallback;

/** The filters that are not the defaults (the lines waiting, every kind, both directions). */
export const DEFAULT_FILTERS: WorkspaceFilters = {
  status: 'unmatched',
  suggestions: 'any',
  direction: 'any',
  q: '',
  from: '',
  to: '',
};

/**
 * The workspace lines of a bank account, filtered from the URL (status, suggestions, direction,
 * search, from, to), a page at a time; the lines waiting to be matched by default.
 */
export function useWorkspaceLines(bankAccountId: string) {
  const organization = useCurrentOrganization();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const filters: WorkspaceFilters = {
    status: oneOf<WorkspaceQuery['status']>(WORKSPACE_STATUSES, params.get('status'), 'unmatched'),
    suggestions: oneOf<WorkspaceQuery['suggestions']>(
      WORKSPACE_SUGGESTIONS,
      params.get('suggestions'),
      'any',
    ),
    direction: oneOf<WorkspaceQuery['direction']>(
      WORKSPACE_DIRECTIONS,
      params.get('direction'),
      'any',
    ),
    q: params.get('q') ?? '',
    from: isDay(from) ? from : '',
    to: isDay(to) ? to : '',
  };
  const key = `recon-lines:${organization.id}:${bankAccountId}:${JSON.stringify(filters)}`;
  const lines = usePagedResource(key, (page, signal) =>
    reconciliationApi.workspace(organization.id, bankAccountId, filters, page, signal),
  );

  const setFilter = (name: FilterKey, next: string) => {
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        if (next && next !== DEFAULT_FILTERS[name]) updated.set(name, next);
        else updated.delete(name);
        return updated;
      },
      { replace: true },
    );
  };
  const resetFilters = () =>
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        for (const name of Object.keys(DEFAULT_FILTERS)) updated.delete(name);
        return updated;
      },
      { replace: true },
    );
  const filtered = (Object.keys(DEFAULT_FILTERS) as FilterKey[]).some(
    (name) => filters[name] !== DEFAULT_FILTERS[name],
  );

  return { filters, lines, setFilter, resetFilters, filtered };
}

export type WorkspaceLines = ReturnType<typeof useWorkspaceLines>;
