import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import { callAs, callAsConsole, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';
import { IDS } from '../loan/memory-fixtures';
import { clientUpload } from '../../emulator/src/storage/client';

/**
 * The local web console in a real (headless) Chromium: an operator finds an application waiting for
 * manual review in the collections view, works it through `ops` from the invoke panel, and sees the
 * new status on the page.
 */

const borrower = { openid: 'o-console-review', name: '李四', idNumber: IDS.review, phone: '13800000002' };

let emu: TestEmulator;
let browser: Browser;
let page: Page;
let applicationId = '';
let shotsDir = '';

beforeAll(async () => {
  shotsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-console-'));
  const [started, launched] = await Promise.all([startLendingEmulator(), launchChromium()]);
  emu = started;
  browser = launched;
  await verifyBorrower(emu, borrower.openid, borrower);
  const applied = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    borrower.openid,
    'loan',
    {
      action: 'apply',
      requestId: 'console-test-0001',
      amount: 20_000,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: 'device-fingerprint-console',
      consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
    },
  );
  if (!applied.ok || applied.data.application.status !== 'manual_review')
    throw new Error(`expected an application in manual review, got ${JSON.stringify(applied)}`);
  applicationId = applied.data.applicationId;
  page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
}, 55_000);

afterAll(async () => {
  await browser?.close();
  await emu?.stop();
  if (shotsDir) fs.rmSync(shotsDir, { recursive: true, force: true });
});

/** Waits until the panel shows how the invocation it started ended (the click set it to running). */
async function invocationShown(): Promise<void> {
  await page.locator('#invoke-status', { hasText: /^(ok|error .+|not invoked)$/ }).waitFor();
}

/** Invokes a function from the page's invoke panel as the console and answers the shown result. */
async function invokeFromPanel(name: string, event: Record<string, unknown>): Promise<unknown> {
  await page.selectOption('#invoke-name', name);
  await page.fill('#invoke-openid', '');
  await page.fill('#invoke-event', JSON.stringify(event));
  await page.click('#invoke-button');
  await invocationShown();
  expect(await page.textContent('#invoke-status')).toBe('ok');
  expect(Number(await page.textContent('#invoke-duration'))).toBeGreaterThan(0);
  return JSON.parse((await page.textContent('#invoke-result')) ?? 'null');
}

/** Shows the documents of `loanApplications` matching `filter` in the collections view. */
async function findApplications(filter: Record<string, unknown>): Promise<void> {
  await page.click('#collection-list li[data-collection="loanApplications"]');
  await page.fill('#collection-filter', JSON.stringify(filter));
  await page.click('#collection-find');
}

test('an operator works the review queue from the console and sees the new status', async () => {
  await page.goto(emu.baseUrl);
  await page.waitForSelector('body[data-ready="true"]');
  expect(await page.textContent('#error')).toBe('');
  expect(await page.textContent('#services-table')).toContain('functions');

  await findApplications({ status: 'manual_review' });
  const card = page.locator(`#documents .document[data-id="${applicationId}"]`);
  await card.waitFor();
  expect(await card.innerText()).toContain('"status": "manual_review"');

  const claimed = await invokeFromPanel('ops', { action: 'claim', applicationId });
  expect(claimed).toMatchObject({ ok: true, data: { id: applicationId, claimedBy: expect.any(String) } });
  const decided = await invokeFromPanel('ops', {
    action: 'decide',
    applicationId,
    decision: 'reject',
    note: '收入证明不足，console test',
  });
  expect(decided).toMatchObject({ ok: true, data: { id: applicationId, status: 'rejected' } });
  expect(await page.textContent('#invocations-table')).toContain('ops');
  // Times in China time with the zone; the outbox shows the rejection SMS with the phone number masked.
  expect(await page.textContent('#invocations-table')).toContain('UTC+8');
  await page.locator('#outbox-table', { hasText: '138****0002' }).waitFor();
  expect(await page.textContent('#outbox-table')).not.toContain(borrower.phone);
  // Each invocation row shows what it cost: the same SDK calls, transactions and conflicts as the admin route.
  const listed = (await (await fetch(`${emu.baseUrl}/_admin/functions/invocations?limit=1`)).json()) as {
    invocations: Array<{ sdkCalls: number; transactions: number; conflicts: number }>;
  };
  const newest = listed.invocations[0];
  expect(newest?.sdkCalls).toBeGreaterThan(0);
  const headers = await page.locator('#invocations-table tr').first().locator('th').allInnerTexts();
  const cells = await page.locator('#invocations-table tr').nth(1).locator('td').allInnerTexts();
  const cell = (header: string): string | undefined => cells[headers.indexOf(header)];
  expect(cell('SDK calls')).toBe(String(newest?.sdkCalls));
  expect(cell('transactions')).toBe(String(newest?.transactions));
  expect(cell('conflicts')).toBe(String(newest?.conflicts));

  await findApplications({ _id: applicationId });
  await card.filter({ hasText: '"status": "rejected"' }).waitFor();
  const shot = path.join(shotsDir, 'console-after-decision.png');
  await page.screenshot({ path: shot, fullPage: true });
  // The DOM as captured with the screenshot: the page text and the shown document's top-level status.
  const shownText = await page.locator('#documents').innerText();
  const shownDoc = JSON.parse((await card.locator('pre').textContent()) ?? '{}') as { status?: string };
  expect(fs.statSync(shot).size).toBeGreaterThan(0);
  expect(shownText).toContain('"status": "rejected"');
  expect(shownDoc.status).toBe('rejected');
});

test('a document edited in the console is replaced through the database engine', async () => {
  await page.click('#collection-list li[data-collection="loanApplications"]');
  await page.fill('#collection-filter', JSON.stringify({ _id: applicationId }));
  await page.click('#collection-find');
  const card = page.locator(`#documents .document[data-id="${applicationId}"]`);
  await card.locator('button', { hasText: 'Edit' }).click();
  const original = JSON.parse(await page.inputValue('#editor-text')) as Record<string, unknown>;
  await page.fill('#editor-text', JSON.stringify({ ...original, consoleNote: 'edited in the console' }));
  await page.click('#editor-save');
  await page.locator('#editor').waitFor({ state: 'hidden' });
  await card.waitFor();
  expect(await card.innerText()).toContain('"consoleNote": "edited in the console"');
  expect(await page.textContent('#error')).toBe('');
});

test('a chosen OPENID invokes as that mini-program user', async () => {
  await page.selectOption('#invoke-name', 'ops');
  await page.fill('#invoke-openid', borrower.openid);
  await page.fill('#invoke-event', JSON.stringify({ action: 'queue' }));
  await page.click('#invoke-button');
  await invocationShown();
  expect(await page.textContent('#invoke-status')).toBe('ok');
  const shown = JSON.parse((await page.textContent('#invoke-result')) ?? 'null') as unknown;
  expect(shown).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
  expect(await page.textContent('#invocations-table')).toContain(borrower.openid);
});

test('bills: Confirm / Close only while a bill waits for the borrower; each invocation shows its own logs', async () => {
  const payee = { openid: 'o-console-payee', name: '李明', idNumber: IDS.approve, phone: '13800000009' };
  await verifyBorrower(emu, payee.openid, payee);
  const applied = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    payee.openid,
    'loan',
    {
      action: 'apply',
      requestId: 'console-test-0002',
      amount: 10_000,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: 'device-fingerprint-console-payee',
      consent: signedConsent(10_000, 6, 'equal_instalment', emu.hub.clock.now()),
    },
  );
  if (!applied.ok || applied.data.application.status !== 'approved') throw new Error(JSON.stringify(applied));
  expect(
    await callAsConsole('ops', { action: 'payoutStart', loanId: applied.data.applicationId }),
  ).toMatchObject({ ok: true });
  // A notification without a signature: payNotify refuses it and says so in its log.
  expect((await fetch(`${emu.baseUrl}/http/payNotify`, { method: 'POST', body: '{}' })).status).toBe(401);

  await page.goto(emu.baseUrl);
  await page.waitForSelector('body[data-ready="true"]');
  const bill = page.locator('#bills-table tr', { hasText: payee.openid });
  // Just created (ACCEPTED): nothing for the borrower yet.
  await bill.filter({ hasText: 'ACCEPTED' }).waitFor();
  expect(await bill.locator('[data-bill-action="confirm"]').isDisabled()).toBe(true);
  // A few seconds later WeChat hands it to the borrower.
  await emu.hub.clock.set(emu.hub.clock.now() + 5_000);
  await emu.hub.scheduler.drain();
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await bill.filter({ hasText: 'WAIT_USER_CONFIRM' }).waitFor();
  expect(await bill.locator('[data-bill-action="confirm"]').isEnabled()).toBe(true);
  expect(await bill.locator('[data-bill-action="close"]').isEnabled()).toBe(true);
  await bill.locator('[data-bill-action="confirm"]').click();
  await bill.filter({ hasText: /SUCCESS|TRANSFERING/ }).waitFor();
  expect(await bill.locator('[data-bill-action="confirm"]').isDisabled()).toBe(true);
  expect(await bill.locator('[data-bill-action="close"]').isDisabled()).toBe(true);
  expect(await bill.locator('[data-bill-action="close"]').getAttribute('title')).toMatch(
    /bill is (SUCCESS|TRANSFERING)/,
  );

  const notifyRow = page.locator('#invocations-table tr', { hasText: 'payNotify' }).first();
  expect(await notifyRow.innerText()).toContain('[payNotify] refused');
  const headers = await page.locator('#invocations-table tr').first().locator('th').allInnerTexts();
  expect(headers).toEqual(expect.arrayContaining(['logs', 'SDK calls']));
  expect(await page.textContent('#invocations-table')).toContain('UTC+8');
}, 90_000);

test('the page is HTML and a bad filter is refused with a stable code', async () => {
  const answer = await fetch(`${emu.baseUrl}/`);
  expect(answer.headers.get('content-type')).toContain('text/html');
  const bad = await fetch(`${emu.baseUrl}/_admin/console/collections/loanApplications/find`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filter: { status: { $bogus: 1 } } }),
  });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR' });
});

test('the files view lists cloud storage with creator and permission, and opens a file as admin', async () => {
  // The borrower's ID photo was deleted by the identity function after verification.
  await page.goto(emu.baseUrl);
  await page.waitForSelector('body[data-ready="true"]');
  expect(await page.textContent('#files-table')).not.toContain('id-card-photos/');
  const uploaded = await clientUpload(
    emu.baseUrl,
    'oConsoleUser',
    'notes/console 说明.txt',
    Buffer.from('hello console'),
  );
  expect(uploaded.status).toBe(200);
  await page.click('#refresh-all');
  const row = page.locator('#files-table tr', { hasText: 'notes/console 说明.txt' });
  await row.waitFor();
  const text = await row.innerText();
  expect(text).toContain('oConsoleUser');
  expect(text).toContain('PRIVATE');
  expect(text).toContain('13');
  const [opened] = await Promise.all([
    page.waitForEvent('popup'),
    row.locator('button', { hasText: 'Open' }).click(),
  ]);
  await opened.waitForLoadState();
  expect(await opened.textContent('body')).toContain('hello console');
  await opened.close();
  expect(await page.textContent('#error')).toBe('');
});
