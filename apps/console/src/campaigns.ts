import { useQuery } from '@tanstack/react-query';
import type { CampaignSummaryView } from '#libs/api-contract';
import { api } from './api.js';

/** The campaigns, for filter pickers; read at most every five minutes. */
export function useCampaigns(enabled: boolean) {
  return useQuery({ queryKey: ['campaigns'], queryFn: () => api<{ items: CampaignSummaryView[] }>('/v1/campaigns'), staleTime: 300_000, enabled });
}
