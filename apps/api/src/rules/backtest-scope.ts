import { RequestValidationError } from '../common/request-validation.error.js';
import type { BacktestFilterDto } from './backtest.dto.js';
import type { BacktestScope } from '#libs/rule-catalog';

const DAY_MS = 24 * 3600 * 1000;

/** The calls a backtest reads, from its request filter (`field` names it in errors). */
export function backtestScope(filter: BacktestFilterDto = {}, field = 'body.filter'): BacktestScope {
  if (filter.lastDays !== undefined && filter.from !== undefined) {
    throw new RequestValidationError([`${field}.lastDays: give lastDays or from, not both`]);
  }
  const from = filter.lastDays !== undefined ? new Date(Date.now() - filter.lastDays * DAY_MS) : filter.from ? new Date(filter.from) : undefined;
  return {
    filter: { from, to: filter.to ? new Date(filter.to) : undefined, agentExternalId: filter.agent, campaignExternalId: filter.campaign },
    callIds: filter.callIds,
    limit: filter.limit ?? 500,
  };
}
