import { readFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { bearerFor, screenshot, signIn, stack, USERS } from './fixtures.js';

const PERIOD = 'from=2026-11-01&to=2026-11-30';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html.slice(0, 160)).slice(0, 3).join(', ')})`);
}

async function adminApi(path: string, init: { method?: string; body?: unknown } = {}) {
  const token = await bearerFor(stack().admin);
  const response = await fetch(`${stack().baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('drill-down team → group → agent → call, with threshold states, samples, a shareable URL and CSV export', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Dashboards' }).click();
  await expect(page.getByRole('heading', { name: 'Evaluation dashboards' })).toBeVisible();
  await page.getByLabel('From').fill('2026-11-01');
  await page.getByLabel('From').press('Enter');
  await page.getByLabel('To').fill('2026-11-30');
  await page.getByLabel('To').press('Enter');
  await expect(page.getByTestId('period')).toContainText('2026-11-01 to 2026-11-30, days cut at midnight UTC');
  const teams = page.getByTestId('drill-down');
  await teams.getByRole('link', { name: 'Outbound sales' }).click();

  // the team, its group and the agents of the group, each figure with its state and sample
  const table = page.getByTestId('drill-down');
  await expect(table.locator('tr[data-level="group"]')).toContainText('Wealth desk A');
  await expect(table.locator('tr[data-level="agent"]')).toHaveCount(2);
  const teamComplaint = table.locator('tr[data-level="team"] [data-metric="complaintRate"]');
  await expect(teamComplaint).toHaveAttribute('data-state', 'below_min_sample');
  await expect(teamComplaint).toContainText('Below minimum sample');
  await expect(teamComplaint).toContainText(/n=\d+/);
  await page.getByRole('radiogroup', { name: 'Dimension' }).getByText('Experience').click();
  await expect(page).toHaveURL(/dim=experience/);
  await expect(table.getByRole('columnheader', { name: '30-s hang-up rate' })).toBeVisible();
  await screenshot(page, 'dashboards-drill-down-en');

  // the URL alone reproduces the view
  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  await expect(other.getByTestId('drill-down').locator('tr[data-level="agent"]')).toHaveCount(2);
  await expect(other.getByRole('columnheader', { name: '30-s hang-up rate' })).toBeVisible();
  await other.close();

  // the campaign picker narrows the drill-down to one campaign's calls, in the URL too
  const teamCalls = table.locator('tr[data-level="team"] td').nth(1);
  await page.goto(`${shared}&campaign=licai-2026`);
  await expect(teamCalls).toHaveText('0');
  await page.goto(`${shared}&campaign=fund-q4`);
  await expect(teamCalls).not.toHaveText('0');
  await expect(page.getByRole('search', { name: 'Period and campaign' }).getByLabel('Campaign', { exact: true })).not.toHaveValue('');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await readFile((await (await download).path()) as string, 'utf8');
  const [header, ...lines] = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(header).toContain('level,name,calls,csatMean,csatMean_sample,csatMean_state');
  expect(lines.map((l) => l.split(',')[0])).toEqual(['team', 'group', 'agent', 'agent']);

  // down to the agent, and on to one of the agent's calls
  await table.getByRole('link', { name: /agent-001/ }).click();
  await expect(page.getByRole('heading', { name: /\(agent-001\)/ })).toBeVisible();
  await expect(page.getByTestId('scorecard')).toContainText('QA score');
  await expect(page.getByTestId('trend-chart').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('open-findings')).toBeVisible();
  await expect(page.getByTestId('disputes')).toBeVisible();
  const worst = page.getByTestId('worst-calls').getByRole('link').first();
  await expect(worst).toBeVisible();
  await screenshot(page, 'dashboards-agent-en');
  expect(await seriousViolations(page)).toEqual([]);
  await worst.click();
  await expect(page).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Transcript' })).toBeVisible();
});

test('trend with its threshold line and rankings with confidence intervals, in English and Chinese', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/dashboards/trends?${PERIOD}&level=team&metric=earlyHangUpRate&granularity=day`);
  const chart = page.getByTestId('trend-chart');
  await expect(chart.locator('.recharts-line-dot').first()).toBeVisible();
  // the alert line at 30% and the target line at 25%
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(2);
  await expect(chart).toContainText('alert');
  await expect(page.getByTestId('trend-table').locator('tbody tr')).not.toHaveCount(0);
  await screenshot(page, 'dashboards-trend-en');
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(`${stack().baseUrl}/dashboards/rankings?${PERIOD}&metric=connectRate&minSample=1`);
  await expect(page.getByTestId('ranking-summary')).toContainText('ranked');
  const top = page.getByTestId('ranking-top');
  await expect(top.locator('.recharts-errorBar').first()).toBeVisible();
  await expect(top.locator('tbody tr').first()).toContainText('–');
  await screenshot(page, 'dashboards-rankings-en');
  // a minimum sample nobody reaches ranks nobody and says who was left out
  await page.goto(`${stack().baseUrl}/dashboards/rankings?${PERIOD}&metric=connectRate&minSample=1000`);
  await expect(page.getByTestId('ranking-excluded')).toContainText('below minimum sample');
  await expect(page.getByTestId('ranking-top')).toContainText('Too few');

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await page.goto(`${stack().baseUrl}/dashboards?${PERIOD}`);
  await expect(page.getByRole('heading', { name: '评估看板' })).toBeVisible();
  await page.getByTestId('drill-down').getByRole('link', { name: '电销中心' }).click();
  await expect(page.getByTestId('drill-down').locator('tr[data-level="group"]')).toContainText('理财一组');
  await expect(page.getByTestId('drill-down').locator('tr[data-level="team"] [data-metric="complaintRate"]')).toContainText('样本不足');
  await expect(page.getByTestId('period')).toContainText('按 UTC 零点切分日期');
  await screenshot(page, 'dashboards-drill-down-zh');
  await page.goto(`${stack().baseUrl}/dashboards/rankings?${PERIOD}&metric=connectRate&minSample=1`);
  await expect(page.getByRole('heading', { name: '前 20%' })).toBeVisible();
  await screenshot(page, 'dashboards-rankings-zh');
  await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
});

test('a team threshold crossing shows as an alert linking to its drill-down, and is acknowledged', async ({ page }) => {
  const before = await adminApi('/v1/thresholds');
  const saved = before.body.configured ? before.body.thresholds : null;
  const rule = { id: 'team_qa_floor', metric: 'qaScoreMean', op: '<', value: 101, minSample: 1, severity: 'warning', entityKinds: ['team'], description: 'Team QA score below 101' };
  expect((await adminApi('/v1/thresholds', { method: 'PUT', body: { thresholds: [rule] } })).status).toBe(200);
  try {
    // a re-score runs the rollup of the call again, which judges its team's day
    const rescore = await adminApi('/v1/evaluation/rescore', { method: 'POST', body: { callIds: [stack().calls['zh-compliant']] } });
    expect(rescore.status).toBe(202);
    await signIn(page, USERS.qa);
    await page.goto(`${stack().baseUrl}/alerts?entityKind=team`);
    const row = page.locator('tr[data-alert="team_qa_floor"]');
    await expect(async () => {
      await page.reload();
      await expect(row).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(row).toContainText('电销中心');
    await expect(row).toContainText('QA score');
    await expect(row.getByTestId('current-value')).toHaveText(/^now \d+$/);
    await expect(row.getByTestId('delivery')).toContainText('Not sent');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(row).toContainText('Acknowledged by');
    await expect(row.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
    await screenshot(page, 'dashboards-alerts-en');
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('link', { name: '电销中心' }).click();
    await expect(page.getByTestId('drill-down').locator('tr[data-level="group"]')).toContainText('理财一组');
  } finally {
    // the API cannot un-configure thresholds: what was in force (the defaults, or the configured ones) is put back
    await adminApi('/v1/thresholds', { method: 'PUT', body: { thresholds: saved ?? before.body.thresholds } });
  }
});

test('an agent sees no dashboards in the navigation and the API refuses them by URL', async ({ page }) => {
  await signIn(page, USERS.agent);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Calls' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Dashboards' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Alerts' })).toHaveCount(0);
  await page.goto(`${stack().baseUrl}/dashboards?${PERIOD}`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.goto(`${stack().baseUrl}/alerts`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
});
