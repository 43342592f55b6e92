import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FunctionsService } from '../../emulator/src/functions';
import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import type { AuditRecord } from '../../server/audit/chain';
import type { Enrollment } from '../../server/operators/console-admin';
import { totpCode } from '../../server/operators/totp';
import { getDb } from '../../server/runtime/cloud';
import { retryingOnConflict } from '../../server/storage/conflict-retry';
import { SdkDocStore, type SdkDatabase } from '../../server/storage/sdk-store';
import { launchChromium } from '../helpers/chromium';
import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import {
  callAs,
  callAsConsole,
  docs,
  startLendingEmulator,
  userAction,
  verifyBorrower,
} from '../loan/emulator-harness';
import { IDS } from '../loan/memory-fixtures';
import { chinaTime } from '../repayment/fixtures';
import { registerOperators } from './workbench-http-client';
import { pickReason, signInPage } from './workbench-page';
import { disbursedLoan, SUB_MCH_ID } from '../repayment/harness';

/**
 * The workbench's views in headless Chromium: dashboard chart in China days, queue decisions with a
 * reason code, the detail (masked data, decision record, timeline), a reveal that needs a reason,
 * arrives sealed and is shown for a limited time, appeals, payouts held for manual handling with
 * their history, repayments (overdue by days past due, penalty waived), and a password change.
 * Screenshots: test-results/workbench/; `WXLEND_UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/ (kept in the repository).
 */

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'workbench');
const DOC_SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
const PEOPLE = {
  review: { openid: 'o-views-review', name: '王五', idNumber: IDS.review, phone: '13800000003' },
  appeal: { openid: 'o-views-appeal', name: '赵六', idNumber: IDS.reject, phone: '13800000004' },
  approve: { openid: 'o-views-approve', name: '李明', idNumber: IDS.approve, phone: '13800000005' },
};

let emu: TestEmulator;
let browser: Browser;
const ids = { review: '', appeal: '', approve: '', overdue: '', longOverdue: '' };
const enrolled: Record<string, Enrollment> = {};

async function apply(person: (typeof PEOPLE)[keyof typeof PEOPLE], amount: number, tag: string) {
  await verifyBorrower(emu, person.openid, person);
  const applied = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    person.openid,
    'loan',
    {
      action: 'apply',
      requestId: `views-test-${tag}`,
      amount,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: `device-fingerprint-views-${tag}`,
      consent: signedConsent(amount, 6, 'equal_instalment', emu.hub.clock.now()),
    },
  );
  if (!applied.ok) throw new Error(JSON.stringify(applied));
  return applied.data;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.mkdirSync(DOC_SHOTS, { recursive: true });
  const [started, launched] = await Promise.all([startLendingEmulator(), launchChromium()]);
  emu = started;
  browser = launched;
  emu.hub
    .service<FunctionsService>('functions')
    .contributeEnv(() => ({ WXLEND_COLLECTION_SUB_MCH_ID: SUB_MCH_ID }));
  const seed = {
    docs: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    now: () => emu.hub.clock.now(),
  };
  // A 20,000 元 loan disbursed in October, all three instalments overdue by March: its penalty
  // (over 200 元) lets a waiver exceed the 100 元 maker-checker threshold.
  await emu.hub.clock.set(chinaTime('2025-10-10T09:30:00'));
  ids.longOverdue = (
    await disbursedLoan(seed, { amount: 2_000_000, termMonths: 3 }, 'o-views-long-overdue')
  ).loanId;
  await emu.hub.clock.set(chinaTime('2026-01-10T09:30:00'));
  // A repaying loan that falls overdue: seeded as the payout leaves it in January, overdue by March.
  ids.overdue = (await disbursedLoan(seed, { amount: 30_000, termMonths: 3 }, 'o-views-overdue')).loanId;
  await emu.hub.clock.set(chinaTime('2026-03-02T09:30:00'));
  await emu.hub.scheduler.drain();
  const fired = await fetch(`${emu.baseUrl}/_admin/timers/fire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ function: 'repaymentDaily', trigger: 'overdueDaily' }),
  });
  if (fired.status !== 200) throw new Error(`repaymentDaily ${fired.status}`);
  const registered = await registerOperators([
    ['rita', 'reviewer', '审核员甲'],
    ['sam', 'supervisor', '主管丙'],
    ['polly', 'payout_officer', '放款专员丁'],
    ['sue', 'supervisor', '主管戊'],
  ]);
  Object.assign(enrolled, registered);
  const review = await apply(PEOPLE.review, 20_000, '0001');
  if (review.application.status !== 'manual_review') throw new Error(review.application.status);
  ids.review = review.applicationId;
  const rejected = await apply(PEOPLE.appeal, 10_000, '0002');
  if (rejected.application.status !== 'rejected') throw new Error(rejected.application.status);
  ids.appeal = rejected.applicationId;
  const appealed = await callAs(emu, PEOPLE.appeal.openid, 'loan', {
    action: 'appeal',
    applicationId: ids.appeal,
    reason: '已补充收入证明',
  });
  if (!appealed.ok) throw new Error(JSON.stringify(appealed));
  // Approved by the model: the console starts its payout and holds it for manual handling.
  const approved = await apply(PEOPLE.approve, 10_000, '0003');
  ids.approve = approved.applicationId;
  if (approved.application.status !== 'approved')
    throw new Error(`approve path: ${approved.application.status}`);
  const payout = await callAsConsole('ops', { action: 'payoutStart', loanId: ids.approve });
  if (!payout.ok) throw new Error(JSON.stringify(payout));
  const held = await callAsConsole('ops', {
    action: 'payoutHold',
    loanId: ids.approve,
    reasonCode: 'FRAUD_SUSPECTED',
    reason: '设备关联待核查',
  });
  if (!held.ok) throw new Error(JSON.stringify(held));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await emu?.stop();
});

/** Signs `login` in (each sign-in a fresh TOTP step: the clock moves 30 s first). */
async function signIn(login: string, password?: string): Promise<Page> {
  await emu.hub.clock.set(emu.hub.clock.now() + 30_000);
  const enrollment = enrolled[login];
  if (!enrollment) throw new Error(`no operator ${login}`);
  return signInPage(browser, emu, enrollment, password);
}

/**
 * Saves a screenshot as a test artefact; with WXLEND_UPDATE_SCREENSHOTS=1 also into docs/screenshots/
 * (kept in the repository), so an ordinary test run leaves the working tree unchanged.
 */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (process.env.WXLEND_UPDATE_SCREENSHOTS === '1')
    fs.copyFileSync(path.join(SHOTS, `${name}.png`), path.join(DOC_SHOTS, `${name}.png`));
}

function row(page: Page, id: string) {
  return page.locator('tr', { hasText: id });
}

function auditOf(event: string) {
  return docs<AuditRecord>(emu, AUDIT_COLLECTION)
    .map((r) => r.entry)
    .filter((e) => e.event === event);
}

test('dashboard, queue decision with a reason code, detail and a sealed, time-limited reveal', async () => {
  const rita = await signIn('rita');
  await row(rita, ids.review).getByRole('button', { name: '领取' }).click();
  await row(rita, ids.review).getByText('wb:rita').waitFor();
  expect(await row(rita, ids.review).innerText()).toContain('200.00 元');
  // Ages against the server's clock (not the device's): minutes after applying.
  expect(await row(rita, ids.review).innerText()).toMatch(/\t\d+ 分钟\t/);
  await row(rita, ids.review).getByRole('button', { name: '通过' }).click();
  await pickReason(rita, 'INCOME_VERIFIED', '收入流水齐全');
  await row(rita, ids.review).locator('[data-status="awaiting_second_approval"]').waitFor();
  await shot(rita, 'queue');
  // A reviewer is not offered the second approval.
  expect(await row(rita, ids.review).getByRole('button', { name: '复核通过' }).count()).toBe(0);

  const sam = await signIn('sam');
  await sam.getByRole('tab', { name: '看板' }).click();
  await sam.locator('#chart-applications svg').waitFor();
  const board = await sam.getByRole('tabpanel').innerText();
  expect(board).toContain('北京时间');
  expect(board).toMatch(/日限额 1?[\d,]+\.\d\d 元/);
  expect(board).toContain('队列等待 p50');
  expect(await sam.locator('#chart-applications').innerText()).toContain('03-02');
  await shot(sam, 'dashboard');

  await sam.getByRole('tab', { name: '审核队列' }).click();
  await row(sam, ids.review).locator('a', { hasText: ids.review }).click();
  const drawer = sam.locator('.ant-drawer-body');
  await drawer.getByText('收入已核实（INCOME_VERIFIED）', { exact: false }).waitFor();
  const detailText = await drawer.innerText();
  expect(detailText).toContain('*五');
  expect(detailText).toContain('138****0003');
  expect(detailText).not.toContain(PEOPLE.review.idNumber);
  expect(detailText).toContain('(UTC+8)');
  expect(detailText).toContain('wb:rita');
  await shot(sam, 'detail');

  // Reveal: a reason from the catalogue; the answer on the wire is sealed; shown with a countdown.
  const bodies: string[] = [];
  sam.on('response', (response) => {
    if (response.url().includes('/http/workbench/'))
      void response.text().then(
        (t) => bodies.push(t),
        () => undefined,
      );
  });
  await drawer.locator('#reveal').click();
  await pickReason(sam, 'FRAUD_INVESTIGATION', '核查设备关联');
  await sam.locator('#revealed').waitFor();
  const revealed = await sam.locator('#revealed').innerText();
  expect(revealed).toContain(PEOPLE.review.name);
  expect(revealed).toContain(PEOPLE.review.idNumber);
  expect(revealed).toMatch(/\d+ 秒后隐藏/);
  await sam.waitForTimeout(1500);
  const later = Number(/(\d+) 秒后隐藏/.exec(await sam.locator('#revealed').innerText())?.[1]);
  expect(later).toBeLessThan(60);
  expect(bodies.join('\n')).toContain('ECDH-P256+HKDF-SHA256+A256GCM');
  expect(bodies.join('\n')).not.toContain(PEOPLE.review.idNumber);
  expect(bodies.join('\n')).not.toContain(PEOPLE.review.name);
  await sam.locator('#revealed').getByRole('button', { name: '立即隐藏' }).click();
  await drawer.locator('#reveal').waitFor();
  expect(await drawer.innerText()).not.toContain(PEOPLE.review.idNumber);
  expect(auditOf('borrower.reveal')).toEqual([
    expect.objectContaining({
      actor: 'wb:sam',
      subject: `borrower:${PEOPLE.review.openid}`,
      details: { reasonCode: 'FRAUD_INVESTIGATION', reason: '核查设备关联' },
    }),
  ]);
  await sam.locator('.ant-drawer-close').click();
  await row(sam, ids.review).getByRole('button', { name: '复核通过' }).click();
  await pickReason(sam, 'RISK_ACCEPTABLE', '复核同意放款');
  await row(sam, ids.review).waitFor({ state: 'detached' });
  const app = docs<{ _id: string; manualDecision?: Record<string, unknown> }>(emu, 'loanApplications').find(
    (a) => a._id === ids.review,
  );
  expect(app?.manualDecision).toMatchObject({
    operator: 'wb:rita',
    checker: 'wb:sam',
    reasonCode: 'RISK_ACCEPTABLE',
  });
}, 150_000);

test('appeals: decided with a reason code of the reject list', async () => {
  const rita = await signIn('rita');
  await rita.getByRole('tab', { name: '复议' }).click();
  await row(rita, ids.appeal).getByText('已补充收入证明').waitFor();
  await row(rita, ids.appeal).getByRole('button', { name: '领取' }).click();
  await row(rita, ids.appeal).getByText('wb:rita').waitFor();
  await shot(rita, 'appeals');
  await row(rita, ids.appeal).getByRole('button', { name: '拒绝' }).click();
  await pickReason(rita, 'APPEAL_EVIDENCE_INSUFFICIENT', '收入证明无法核实');
  await row(rita, ids.appeal).waitFor({ state: 'detached' });
  const app = docs<{ _id: string; status: string; manualDecision?: Record<string, unknown> }>(
    emu,
    'loanApplications',
  ).find((a) => a._id === ids.appeal);
  expect(app).toMatchObject({
    status: 'appeal_denied',
    manualDecision: { operator: 'wb:rita', reasonCode: 'APPEAL_EVIDENCE_INSUFFICIENT' },
  });
}, 90_000);

test('payouts held for manual handling with their history; repayments overdue by days past due, penalty waived', async () => {
  const polly = await signIn('polly');
  // A payout officer sees payouts and repayments, not the review queue.
  expect(await polly.getByRole('tab', { name: '审核队列' }).count()).toBe(0);
  await polly.getByRole('tab', { name: '放款' }).click();
  await polly.locator('#payout-kind').getByText('人工处理').click();
  await row(polly, ids.approve).getByText('设备关联待核查').waitFor();
  expect(await row(polly, ids.approve).innerText()).toContain('100.00 元');
  await row(polly, ids.approve).getByRole('button', { name: '历史' }).click();
  await polly
    .getByRole('dialog')
    .getByText(/第 1 次/)
    .waitFor();
  await shot(polly, 'payouts');
  await polly.keyboard.press('Escape');

  await polly.getByRole('tab', { name: '还款' }).click();
  await row(polly, ids.overdue)
    .getByText(/\d+ 天/)
    .waitFor();
  const days = Number(/(\d+) 天/.exec(await row(polly, ids.overdue).innerText())?.[1]);
  // Write-off is a supervisor's: not offered to a payout officer.
  expect(await row(polly, ids.overdue).getByRole('button', { name: '核销' }).count()).toBe(0);
  expect(days).toBeGreaterThan(0);
  await shot(polly, 'repayments');
  await row(polly, ids.overdue).getByRole('button', { name: '减免罚息' }).click();
  await polly.locator('#amount-yuan').fill('0.01');
  await pickReason(polly, 'HARDSHIP', '借款人短期困难');
  await polly.locator('.ant-message', { hasText: '已完成' }).waitFor();
  expect(auditOf('repayment.ops.waive')).toEqual([
    expect.objectContaining({
      actor: 'wb:polly',
      details: expect.objectContaining({ amount: 1, reasonCode: 'HARDSHIP' }),
    }),
  ]);
}, 90_000);

test('a waiver over the threshold waits in 待复核: the maker cannot check it, another operator approves it there', async () => {
  const polly = await signIn('polly');
  await polly.getByRole('tab', { name: '还款', exact: true }).click();
  await row(polly, ids.longOverdue).getByRole('button', { name: '减免罚息' }).click();
  await polly.locator('#amount-yuan').fill('150.00');
  await pickReason(polly, 'HARDSHIP', '长期困难经核实');
  await polly.locator('.ant-message', { hasText: '等待另一位运营人员复核' }).waitFor();
  // The maker sees its request in 待复核, with no way to check it.
  await polly.getByRole('tab', { name: '待复核' }).click();
  const mine = row(polly, ids.longOverdue);
  await mine.getByText('本人发起').waitFor();
  expect(await mine.innerText()).toContain('150.00 元');
  expect(await mine.innerText()).toContain('wb:polly');
  expect(await mine.innerText()).toContain('HARDSHIP');
  expect(await mine.getByRole('button', { name: '复核通过' }).count()).toBe(0);
  expect(auditOf('repayment.ops.waive').filter((e) => e.subject === `loan:${ids.longOverdue}`)).toEqual([]);

  const sue = await signIn('sue');
  await sue.getByRole('tab', { name: '待复核' }).click();
  await row(sue, ids.longOverdue).getByText('(UTC+8)', { exact: false }).waitFor();
  await shot(sue, 'pending-approvals');
  await row(sue, ids.longOverdue).getByRole('button', { name: '复核通过' }).click();
  await sue.locator('.ant-message', { hasText: '已完成' }).waitFor();
  // Checked: it leaves the list the server answers.
  await row(sue, ids.longOverdue).waitFor({ state: 'detached' });
  expect(auditOf('repayment.ops.waive').filter((e) => e.subject === `loan:${ids.longOverdue}`)).toEqual([
    expect.objectContaining({
      actor: 'wb:polly',
      details: expect.objectContaining({ amount: 15_000, reasonCode: 'HARDSHIP', checker: 'wb:sue' }),
    }),
  ]);
}, 90_000);

test('password change: old password + code, every session ends, the new password signs in', async () => {
  const rita = await signIn('rita');
  await rita.click('#change-password');
  await emu.hub.clock.set(emu.hub.clock.now() + 30_000);
  const { now } = await userAction<{ now: number }>(emu, '/_admin/clock', {});
  await rita.fill('#old-password', enrolled.rita?.initialPassword ?? '');
  await rita.fill('#password-code', totpCode(enrolled.rita?.totpSecret ?? '', now));
  await rita.fill('#new-password', 'a-much-longer-secret-42');
  await rita.fill('#repeat-password', 'a-much-longer-secret-42');
  await rita.click('#password-ok');
  await rita.locator('#sign-in').waitFor();
  expect(auditOf('operator.passwordChange').map((e) => [e.actor, e.outcome])).toEqual([
    ['wb:rita', 'success'],
  ]);
  const again = await signIn('rita', 'a-much-longer-secret-42');
  expect(await again.textContent('#me')).toContain('审核员甲');
  for (const name of ['queue', 'detail', 'dashboard', 'appeals', 'payouts', 'repayments'])
    expect(fs.statSync(path.join(DOC_SHOTS, `${name}.png`)).size).toBeGreaterThan(1000);
}, 90_000);
