import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the URL, so a filtered list is a link to share. Changing a filter starts again from the first
 * page; `cursor` pages forward and `back` holds the cursors of the pages before it.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<K, string>, [keys, params]);
  const cursor = params.get('cursor') ?? '';
  const back = useMemo(() => (params.get('back') ? (params.get('back') as string).split('.') : []), [params]);

  const setFilter = useCallback(
    (key: K, value: string) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        next.delete('cursor');
        next.delete('back');
        return next;
      }),
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  const nextPage = useCallback(
    (nextCursor: string) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        // the first page has no cursor: '-' stands for it in the trail
        next.set('back', [...back, cursor || '-'].join('.'));
        next.set('cursor', nextCursor);
        return next;
      }),
    [setParams, back, cursor],
  );
  const previousPage = useCallback(
    () =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        const trail = [...back];
        const previous = trail.pop();
        if (!previous || previous === '-') next.delete('cursor');
        else next.set('cursor', previous);
        if (trail.length > 0) next.set('back', trail.join('.'));
        else next.delete('back');
        return next;
      }),
    [setParams, back],
  );
  return { filters, setFilter, clear, cursor, pageNumber: back.length + 1, hasPrevious: back.length > 0, nextPage, previousPage, search: params.toString() };
}

/** A period picked as dates (`from`..`to`, both days included) as the API's instants: `to` is the next midnight. */
export function periodParams(from: string, to: string): { from?: string; to?: string } {
  return {
    from: from ? new Date(from).toISOString() : undefined,
    to: to ? new Date(new Date(to).getTime() + 86_400_000).toISOString() : undefined,
  };
}
