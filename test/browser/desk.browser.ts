import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { bearerFor, screenshot, signIn, stack, USERS, withDatabase } from './fixtures.js';

const COMPLIANCE = { email: 'cora@earshot.test', displayName: 'Cora Compliance', role: 'compliance', password: 'compliance password 1' };
const TRAINER = { email: 'theo@earshot.test', displayName: 'Theo Trainer', role: 'trainer', password: 'trainer password 12' };

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 160)).slice(0, 3).join(', ')}`);
}

async function apiStatus(page: Page, path: string): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).status, path);
}

test.beforeAll(async () => {
  const token = await bearerFor(stack().admin);
  for (const user of [COMPLIANCE, TRAINER]) {
    const response = await fetch(`${stack().baseUrl}/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(user) });
    if (response.status !== 201 && response.status !== 409) throw new Error(`creating ${user.email}: ${response.status} ${await response.text()}`);
  }
});

test('compliance officer: opt-out registry with a CSV error, removal with reason and history; nothing of admin or the library', async ({ page }) => {
  await signIn(page, COMPLIANCE);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Compliance' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Library' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  expect(await apiStatus(page, '/v1/users')).toBe(403);
  expect(await apiStatus(page, '/v1/library/collections')).toBe(403);

  await nav.getByRole('link', { name: 'Compliance' }).click();
  await expect(page).toHaveURL(/\/compliance\/opt-outs/);
  await page.getByRole('textbox', { name: 'Phone number', exact: true }).fill('+14155550177');
  await page.getByRole('textbox', { name: 'Reason', exact: true }).fill('Asked by letter 2026-11-30');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('+14155550177 is now opted out');

  // a CSV with a bad second data line: the API's line-and-column error is shown, nothing imported
  await page.locator('input[type=file]').setInputFiles({ name: 'optouts.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,country\n+14155550178,US\nnot-a-number,US\n') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const errors = page.getByTestId('api-errors');
  await expect(errors).toContainText('Nothing was imported');
  await expect(errors).toContainText(/line 3/i);
  await expect(errors).toContainText(/phone/);

  await page.getByLabel('Search by number').fill('+14155550177');
  await page.getByLabel('Search by number').press('Enter');
  await expect(page).toHaveURL(/phone=%2B14155550177/);
  const table = page.getByTestId('opt-outs-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('Asked by letter 2026-11-30');
  await screenshot(page, 'desk-opt-outs-en');
  expect(await seriousViolations(page)).toEqual([]);

  await table.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('textbox', { name: 'Reason for removal' }).fill('Consented again in writing');
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(0);
  await page.getByRole('switch', { name: 'Include removed' }).click({ force: true });
  await expect(page).toHaveURL(/includeRemoved=true/);
  await expect(table).toContainText('Removed');
  await table.getByRole('button', { name: 'History' }).click();
  const history = page.getByTestId('opt-out-history');
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history.locator('tbody tr').first()).toContainText('Consented again in writing');
  await expect(history.locator('tbody tr').first()).toContainText(`user:${COMPLIANCE.email}`);
  await screenshot(page, 'desk-opt-out-history-en');
});

test('compliance officer: critical findings by family, legal hold with reason, audit filters and a tampered chain shown broken', async ({ page }) => {
  await signIn(page, COMPLIANCE);
  await page.goto(`${stack().baseUrl}/compliance/critical`);
  const families = page.getByTestId('critical-families');
  await expect(families).toContainText('Guaranteed returns');
  await families.getByText(/Guaranteed returns/).click();
  await expect(page).toHaveURL(/family=guaranteed_returns/);
  const critical = page.getByTestId('critical-table');
  await expect(critical.locator('tbody tr').first()).toBeVisible();
  // the unfiltered rows can still be on screen for a moment after the click: wait for the filtered answer
  await expect.poll(async () => (await critical.locator('tbody tr td:nth-child(3)').allInnerTexts()).every((text) => text === 'Guaranteed returns')).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'desk-critical-en');

  const callId = stack().calls['en-compliant'] as string;
  await page.goto(`${stack().baseUrl}/compliance/calls/${callId}`);
  await expect(page.getByTestId('legal-hold')).toContainText('Not held');
  await page.getByLabel('Reason (case or matter reference)').fill('Complaint FCA-2026-0412');
  await page.getByRole('button', { name: 'Place on hold' }).click();
  await expect(page.getByTestId('legal-hold')).toContainText('Complaint FCA-2026-0412');
  await expect(page.getByTestId('call-audit')).toContainText('call.legal_hold.placed');
  const download = page.waitForEvent('download');
  await page.getByTestId('evidence-download').click();
  expect((await download).suggestedFilename()).toBe(`evidence-${callId}.zip`);
  await page.getByRole('button', { name: 'Release hold' }).click();
  await expect(page.getByTestId('legal-hold')).toContainText('Not held');

  await page.goto(`${stack().baseUrl}/compliance/retention`);
  const schedule = page.getByTestId('retention-schedule');
  await expect(schedule.locator('tbody tr').first()).toBeVisible();
  await expect(schedule).toContainText('Never');

  await page.goto(`${stack().baseUrl}/compliance/audit?action=call.legal_hold.`);
  const audit = page.getByTestId('audit-table');
  await expect(audit.locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('chain-ok')).toBeVisible();

  // tamper with one entry behind the API's back (the table refuses UPDATE: the trigger is switched off for it)
  const tampered = await withDatabase(async (db) => {
    const row = (await db.query<{ id: string; details: unknown }>(`SELECT id::text, details FROM "AuditEvent" WHERE action = 'call.legal_hold.placed' ORDER BY id DESC LIMIT 1`)).rows[0];
    if (!row) throw new Error('no legal hold audit entry');
    await db.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete"');
    await db.query(`UPDATE "AuditEvent" SET details = '{"reason":"nothing to see"}' WHERE id = $1`, [row.id]);
    await db.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete"');
    return row;
  });
  try {
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const broken = page.getByTestId('chain-broken');
    await expect(broken).toContainText(`The chain is broken at entry ${tampered.id}`);
    await expect(broken).toContainText('nothing to see');
    await expect(audit.locator(`tr[data-audit-id="${tampered.id}"]`)).toHaveAttribute('style', /background/);
    await screenshot(page, 'desk-audit-broken-en');
  } finally {
    await withDatabase(async (db) => {
      await db.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete"');
      await db.query('UPDATE "AuditEvent" SET details = $2 WHERE id = $1', [tampered.id, JSON.stringify(tampered.details)]);
      await db.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete"');
    });
  }
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('chain-ok')).toBeVisible();
});

test('trainer, in Chinese: creates a collection, adds a span of a call, plays and exports it; no compliance or admin', async ({ page }) => {
  await signIn(page, TRAINER);
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '合规' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: '管理' })).toHaveCount(0);
  expect(await apiStatus(page, '/v1/audit')).toBe(403);
  expect(await apiStatus(page, '/v1/users')).toBe(403);

  await nav.getByRole('link', { name: '案例库' }).click();
  await expect(page.getByRole('heading', { name: '培训案例库' })).toBeVisible();
  await page.getByRole('textbox', { name: '名称', exact: true }).fill('周一辅导：收益承诺');
  await page.getByRole('button', { name: '新建案例集' }).click();
  const collections = page.getByTestId('collections-table');
  await collections.getByRole('link', { name: '周一辅导：收益承诺' }).click();
  await expect(page.getByText('暂无案例')).toBeVisible();

  const callId = stack().calls['en-guaranteed-returns'] as string;
  await page.getByLabel('通话 ID').fill(callId);
  const waveform = page.getByTestId('span-waveform');
  await expect(waveform).toHaveAttribute('data-ready', 'true');
  // a span chosen by dragging on the waveform fills in its times
  const box = await waveform.boundingBox();
  if (!box) throw new Error('no waveform box');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const dragged = [Number(await page.getByLabel('起（秒）').inputValue()), Number(await page.getByLabel('止（秒）').inputValue())];
  expect(dragged[0]).toBeGreaterThan(0);
  expect(dragged[1]).toBeGreaterThan(dragged[0] as number);
  await screenshot(page, 'desk-library-span-zh');
  await page.getByLabel('起（秒）').fill('2');
  await page.getByLabel('止（秒）').fill('9');
  await page.getByText('反面示例').click();
  await page.getByRole('combobox', { name: '主题' }).fill('收益承诺');
  await page.getByRole('combobox', { name: '主题' }).press('Enter');
  await page.getByRole('button', { name: '加入案例集' }).click();
  const items = page.getByTestId('collection-items');
  await expect(items.locator('tbody tr')).toHaveCount(1);
  await expect(items).toContainText('反面示例');
  await expect(items).toContainText('收益承诺');
  await expect(items.locator('audio')).toHaveAttribute('src', `/v1/calls/${callId}/audio#t=2,9`);
  // a finding of the call, added with one click, plays its own clip
  await page.getByTestId('call-findings').getByRole('button', { name: '添加问题' }).first().click();
  await expect(items.locator('tbody tr')).toHaveCount(2);
  await expect(items.locator('audio').nth(1)).toHaveAttribute('src', /\/v1\/findings\/.+\/clip/);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'desk-library-collection-zh');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-collection').click();
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);

  await page.goto(`${stack().baseUrl}/library/items?topic=${encodeURIComponent('收益承诺')}`);
  await expect(page.getByTestId('items-table').locator('tbody tr')).toHaveCount(2);
});

test('admin, in Chinese: creates a user, sees an API key once, and a bad campaign setting next to its field', async ({ page }) => {
  await signIn(page, stack().admin);
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '管理' }).click();
  await expect(page).toHaveURL(/\/admin\/users/);
  await page.getByLabel('邮箱').fill('new.lead@earshot.test');
  await page.getByLabel('姓名').fill('新组长');
  await page.getByLabel('密码').fill('a long password 123');
  await page.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByTestId('users-table')).toContainText('new.lead@earshot.test');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'desk-admin-users-zh');

  await page.getByRole('tab', { name: 'API 密钥' }).click();
  await page.getByLabel('密钥名称').fill('dialer-eu');
  await page.getByRole('button', { name: '创建密钥' }).click();
  const key = await page.getByTestId('created-key').locator('pre, code').first().innerText();
  expect(key.length).toBeGreaterThan(20);
  await expect(page.getByTestId('api-keys-table')).toContainText('dialer-eu');
  await expect(page.getByTestId('api-keys-table')).not.toContainText(key);

  await page.getByRole('tab', { name: '项目' }).click();
  await page.getByTestId('campaigns-table').getByRole('button', { name: '编辑' }).first().click();
  await page.getByLabel('保留天数').fill('0');
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('dialog')).toContainText(/retentionDays/);
  await screenshot(page, 'desk-admin-campaign-error-zh');
});

test('qa lead and agent: the desk pages are absent from navigation and refused when opened by URL', async ({ page }) => {
  await signIn(page, USERS.qa);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Library' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Compliance' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto(`${stack().baseUrl}/compliance/audit`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.goto(`${stack().baseUrl}/admin/users`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, USERS.agent);
  for (const name of ['Compliance', 'Library', 'Admin']) await expect(nav.getByRole('link', { name })).toHaveCount(0);
  for (const path of ['/compliance/opt-outs', '/library/collections', '/admin/api-keys']) {
    await page.goto(`${stack().baseUrl}${path}`);
    await expect(page.getByTestId('forbidden').first()).toBeVisible();
  }
  expect(await apiStatus(page, '/v1/opt-outs')).toBe(403);
  expect(await apiStatus(page, '/v1/retention/schedule')).toBe(403);
});

test('admin walks every desk page without serious accessibility violations; retrying deliveries and one-click examples', async ({ page }) => {
  // ten pages, each analysed by axe: longer than one page's test
  test.setTimeout(240_000);
  const token = await bearerFor(stack().admin);
  const collection = (await (
    await fetch(`${stack().baseUrl}/v1/library/collections`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Worst of November' }) })
  ).json()) as { id: string };
  await withDatabase((db) =>
    db.query(
      `INSERT INTO "WebhookDelivery" (id, "eventId", "eventType", url, payload, status, attempts, "lastStatusCode", "lastError", "attemptLog", "createdAt", "updatedAt")
       VALUES (gen_random_uuid(), 'evt-browser-1', 'opt_out.created', 'https://crm.example/hook', '{}', 'pending', 2, 503, 'HTTP 503',
               '[{"at":"2026-12-01T10:00:00Z","statusCode":503,"durationMs":120},{"at":"2026-12-01T10:00:05Z","statusCode":503,"durationMs":98}]', now(), now())
       ON CONFLICT ("eventId") DO NOTHING`,
    ),
  );
  await signIn(page, stack().admin);
  const pages: [string, string][] = [
    ['/compliance/opt-outs', 'opt-outs-table'],
    ['/compliance/deliveries', 'deliveries-table'],
    ['/compliance/critical', 'critical-table'],
    ['/compliance/audit', 'audit-table'],
    ['/compliance/retention', 'retention-schedule'],
    [`/compliance/calls/${stack().calls['en-compliant']}`, 'legal-hold'],
    ['/library/collections', 'collections-table'],
    ['/admin/users', 'users-table'],
    // a fresh stack may have no API key yet: the form is what must be there
    ['/admin/api-keys', 'api-key-form'],
    ['/admin/campaigns', 'campaigns-table'],
  ];
  for (const [path, testId] of pages) {
    await page.goto(`${stack().baseUrl}${path}`);
    await expect(page.getByTestId(testId)).toBeVisible();
    expect({ path, violations: await seriousViolations(page) }).toEqual({ path, violations: [] });
  }

  await page.goto(`${stack().baseUrl}/compliance/deliveries?status=pending`);
  const deliveries = page.getByTestId('deliveries-table');
  await expect(deliveries.locator('tr', { hasText: 'evt-browser-1' })).toContainText('Retrying');
  await expect(deliveries.locator('tr', { hasText: 'evt-browser-1' })).toContainText('HTTP 503');
  await screenshot(page, 'desk-deliveries-en');

  await page.goto(`${stack().baseUrl}/library/examples?order=worst&from=2026-11-01&to=2026-11-30`);
  const examples = page.getByTestId('examples-table');
  await expect(examples.locator('tbody tr').first()).toBeVisible();
  await page.getByRole('combobox', { name: 'Add examples to collection' }).click();
  await page.getByRole('option', { name: 'Worst of November' }).click();
  await examples.getByRole('button', { name: 'Add' }).first().click();
  await expect(examples.getByText('Added')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  const saved = (await (await fetch(`${stack().baseUrl}/v1/library/collections/${collection.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { label: string }[] };
  expect(saved.items.map((item) => item.label)).toEqual(['bad']);

  // a campaign's retention dates each of its recordings: browser-review-001 started 2026-11-21 18:00 UTC
  await page.goto(`${stack().baseUrl}/compliance/retention`);
  const days = page.getByRole('textbox', { name: 'Retention days for fund-q4' });
  await days.fill('30');
  await days.locator('xpath=ancestor::tr').getByRole('button', { name: 'Save' }).click();
  const review = page.getByTestId('retention-schedule').locator('tr', { hasText: 'browser-review-001' });
  await expect(review).toContainText('Dec 21, 2026');
  await expect(page.getByTestId('retention-schedule').locator('tr', { hasText: 'demo-zh-001' })).toContainText('Never');
  await screenshot(page, 'desk-retention-en');
  await days.fill('');
  await days.locator('xpath=ancestor::tr').getByRole('button', { name: 'Save' }).click();
  await expect(review).toContainText('Never');

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await page.goto(`${stack().baseUrl}/compliance/retention`);
  await expect(page.getByRole('heading', { name: '合规工作台' })).toBeVisible();
  await expect(page.getByTestId('retention-schedule')).toContainText('不删除');
  await screenshot(page, 'desk-retention-zh');
});
