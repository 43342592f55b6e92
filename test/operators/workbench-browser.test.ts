import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import type { Enrollment } from '../../server/operators/console-admin';
import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import { callAs, callAsConsole, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';
import { IDS } from '../loan/memory-fixtures';
import { registerOperators } from './workbench-http-client';
import { pickReason, signInPage } from './workbench-page';

/**
 * The workbench web app (/ops/) in headless Chromium: two operators sign in with TOTP, one claims and
 * approves an application above the maker-checker amount, the other gives the second approval, the
 * payout starts; a deactivated operator's session stops at once. Screenshots: test-results/workbench/.
 */

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'workbench');
const borrower = { openid: 'o-workbench-review', name: '王五', idNumber: IDS.review, phone: '13800000003' };

let emu: TestEmulator;
let browser: Browser;
let applicationId = '';
const enrolled: Record<string, Enrollment> = {};

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const [started, launched] = await Promise.all([startLendingEmulator(), launchChromium()]);
  emu = started;
  browser = launched;
  const registered = await registerOperators([
    ['alice', 'reviewer', '审核员甲'],
    ['amos', 'approver', '复核员乙'],
  ]);
  Object.assign(enrolled, registered);
  await verifyBorrower(emu, borrower.openid, borrower);
  const applied = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    borrower.openid,
    'loan',
    {
      action: 'apply',
      requestId: 'workbench-test-0001',
      amount: 20_000,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: 'device-fingerprint-workbench',
      consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
    },
  );
  if (!applied.ok || applied.data.application.status !== 'manual_review')
    throw new Error(`expected manual review: ${JSON.stringify(applied)}`);
  applicationId = applied.data.applicationId;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await emu?.stop();
});

/** Signs `login` in through the page with the current TOTP code. */
function signIn(login: string): Promise<Page> {
  const enrollment = enrolled[login];
  if (!enrollment) throw new Error(`no operator ${login}`);
  return signInPage(browser, emu, enrollment);
}

function row(page: Page) {
  return page.locator('tr', { hasText: applicationId });
}

test('maker and checker are two named people; the payout starts; deactivation stops a session at once', async () => {
  const alice = await signIn('alice');
  expect(await alice.textContent('#me')).toContain('审核员甲');
  await row(alice).getByRole('button', { name: '领取' }).click();
  await row(alice).getByText('wb:alice').waitFor();
  expect(await row(alice).innerText()).toContain('200.00 元');
  await alice.screenshot({ path: path.join(SHOTS, 'queue.png'), fullPage: true });
  await row(alice).locator('a', { hasText: applicationId }).click();
  await alice.locator('.ant-drawer-body').getByText('manual_review', { exact: false }).first().waitFor();
  await alice.screenshot({ path: path.join(SHOTS, 'detail.png'), fullPage: true });
  await alice.locator('.ant-drawer-close').click();
  await row(alice).getByRole('button', { name: '通过' }).click();
  await pickReason(alice, 'INCOME_VERIFIED', '收入流水齐全');
  await row(alice).locator('[data-status="awaiting_second_approval"]').waitFor();

  const amos = await signIn('amos');
  await row(amos).getByRole('button', { name: '复核通过' }).click();
  await pickReason(amos, 'RISK_ACCEPTABLE', '复核同意放款');
  await amos.locator('.ant-message', { hasText: '已完成' }).waitFor();
  await amos.screenshot({ path: path.join(SHOTS, 'after-second-approval.png'), fullPage: true });

  const app = docs<{ _id: string; status: string; manualDecision?: { operator: string; checker: string } }>(
    emu,
    'loanApplications',
  ).find((a) => a._id === applicationId);
  expect(app?.manualDecision).toMatchObject({ operator: 'wb:alice', checker: 'wb:amos' });
  expect(['approved', 'disbursing', 'awaiting_confirmation', 'disbursed']).toContain(app?.status);
  // The payout started from the approval.
  for (let i = 0; i < 100 && docs(emu, 'payouts').length === 0; i += 1)
    await new Promise((r) => setTimeout(r, 200));
  expect(docs(emu, 'payouts').length).toBeGreaterThan(0);

  // Deactivated in the console: alice's open tab is refused on its next request.
  expect(
    await callAsConsole('ops', { action: 'deactivateOperator', login: 'alice', reason: '离职停用账号' }),
  ).toMatchObject({ ok: true });
  const status = await alice.evaluate(async () => {
    const token =
      (
        globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
      ).sessionStorage.getItem('wxlend-session') ?? '';
    const response = await fetch('/http/workbench/ops', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wxlend-session': token },
      body: '{"action":"queue"}',
    });
    return [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
  });
  expect(status).toEqual([401, 'SESSION_REVOKED']);
  for (const shot of ['queue.png', 'detail.png', 'after-second-approval.png'])
    expect(fs.statSync(path.join(SHOTS, shot)).size).toBeGreaterThan(1000);
}, 120_000);
