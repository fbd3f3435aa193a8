// List views keep their filter, lifecycle, sort, columns and page size in the URL, so a reload or a shared link shows
// the same view. Page tokens stay in memory (usePageTokens): they are only valid for the query that made them.
import { useSearchParams } from 'react-router';
import type { ViewType } from './api';

export const VIEWS: { value: ViewType; label: string }[] = [
  { value: 'ACTIVE_ONLY', label: 'Active' },
  { value: 'DELETED_ONLY', label: 'Deleted' },
  { value: 'ALL', label: 'All' },
];
const VIEW_PARAM: Record<ViewType, string> = { ACTIVE_ONLY: 'active', DELETED_ONLY: 'deleted', ALL: 'all' };

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Reads and writes the search params of the current URL; writing undefined or '' removes a param. */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const view = (Object.keys(VIEW_PARAM) as ViewType[]).find((v) => VIEW_PARAM[v] === params.get('view')) ?? 'ACTIVE_ONLY';
  const size = Number(params.get('size'));
  return {
    params,
    view,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 25,
    set(changes: Record<string, string | undefined>) {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      setParams(next, { replace: true });
    },
    viewParam: (v: ViewType) => (v === 'ACTIVE_ONLY' ? undefined : VIEW_PARAM[v]),
  };
}
