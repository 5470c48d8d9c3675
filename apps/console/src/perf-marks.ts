import { useEffect } from 'react';

/** Marks (once per page load) when a view is ready for its user; `npm run bench:console` reads these. */
export function useReadyMark(name: 'earshot:queue-rendered' | 'earshot:call-ready', ready: boolean): void {
  useEffect(() => {
    if (ready && performance.getEntriesByName(name).length === 0) performance.mark(name);
  }, [name, ready]);
}
