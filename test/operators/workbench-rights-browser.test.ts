import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Enrollment } from '../../server/operators/console-admin';
import { launchChromium } from '../helpers/chromium';
import type { TestEmulator } from '../helpers/emulator';
import { IDS } from '../loan/memory-fixtures';
import { callAs, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';
import { registerOperators } from './workbench-http-client';
import { pickReason, signInPage } from './workbench-page';

/**
 * The workbench's 权利请求 view in headless Chromium over the local backend: borrowers' open
 * correction and deletion requests with status and age (China time), a correction approved with
 * a catalogue reason, a deletion completed, a refusal shown as the server words it, the tab
 * offered only to the roles the table allows. Screenshot: test-results/workbench/rights.png
 * (`WXLEND_UPDATE_SCREENSHOTS=1` also refreshes docs/screenshots/).
 */

jest.setTimeout(120_000);

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'workbench');
const DOC_SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
const CORRECTOR = { openid: 'o-wbrb-corrector', name: '吴红', idNumber: IDS.reject, phone: '13800138021' };
const DELETER = { openid: 'o-wbrb-deleter', name: '周刚', idNumber: IDS.approve, phone: '13800138022' };
const CANCELLER = { openid: 'o-wbrb-canceller', name: '郑强', idNumber: IDS.review, phone: '13800138023' };

let emu: TestEmulator;
let browser: Browser;
const enrolled: Record<string, Enrollment> = {};

const identity = (openid: string, data: Record<string, unknown>) => callAs(emu, openid, 'identity', data);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const [started, launched] = await Promise.all([startLendingEmulator(), launchChromium()]);
  emu = started;
  browser = launched;
  for (const person of [CORRECTOR, DELETER, CANCELLER]) await verifyBorrower(emu, person.openid, person);
  const registered = await registerOperators([
    ['sam', 'supervisor'],
    ['rita', 'reviewer'],
  ]);
  Object.assign(enrolled, registered);
  const requests: Array<[string, Record<string, unknown>]> = [
    [CORRECTOR.openid, { action: 'requestCorrection', field: 'name', detail: '吴晓红' }],
    [DELETER.openid, { action: 'requestDeletion' }],
    [CANCELLER.openid, { action: 'requestDeletion' }],
  ];
  for (const [openid, request] of requests) {
    const answer = await identity(openid, request);
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    await emu.hub.clock.advance(60_000);
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await emu?.stop();
});

async function signIn(login: string): Promise<Page> {
  await emu.hub.clock.set(emu.hub.clock.now() + 30_000);
  const enrollment = enrolled[login];
  if (!enrollment) throw new Error(`no operator ${login}`);
  return signInPage(browser, emu, enrollment);
}

const row = (page: Page, text: string) => page.locator('tr', { hasText: text });

function auditOf(event: string) {
  return docs<{ entry: { event: string; actor: string; subject: string } }>(emu, 'auditLog')
    .map((r) => r.entry)
    .filter((e) => e.event === event);
}

test('a reviewer is not offered the 权利请求 tab (the role table)', async () => {
  const rita = await signIn('rita');
  await rita.getByRole('tab', { name: '审核队列' }).waitFor();
  expect(await rita.getByRole('tab', { name: '权利请求' }).count()).toBe(0);
});

test('a supervisor approves a correction, completes a deletion and sees a refusal as the server words it', async () => {
  const sam = await signIn('sam');
  await sam.getByRole('tab', { name: '权利请求' }).click();
  const correction = row(sam, '更正姓名');
  await correction.getByText('待处理').waitFor();
  // Masked only: the proposed name and the borrowers' names never appear in full.
  expect(await correction.innerText()).toContain('**红');
  expect(await correction.innerText()).toContain('(UTC+8)');
  expect(await correction.innerText()).toMatch(/\d+ 分钟前/);
  const table = await sam.locator('#rights-requests').innerText();
  for (const secret of ['吴晓红', CORRECTOR.name, DELETER.name, CANCELLER.name])
    expect(table).not.toContain(secret);
  expect(await sam.locator('#rights-requests tbody tr').count()).toBe(3);
  const shot = path.join(SHOTS, 'rights.png');
  await sam.screenshot({ path: shot, fullPage: true });
  if (process.env.WXLEND_UPDATE_SCREENSHOTS === '1')
    fs.copyFileSync(shot, path.join(DOC_SHOTS, 'rights.png'));

  await correction.getByRole('button', { name: '同意更正' }).click();
  await pickReason(sam, 'DOCUMENT_VERIFIED', '核对身份证原件一致');
  await sam.locator('.ant-message', { hasText: '已完成' }).waitFor();
  await correction.waitFor({ state: 'detached' });
  expect(auditOf('identity.correction_resolved')).toEqual([
    expect.objectContaining({ actor: 'wb:sam', subject: `borrower:${CORRECTOR.openid}` }),
  ]);

  // The borrower withdraws the deletion while it is on screen: the server's refusal is shown.
  expect(await identity(CANCELLER.openid, { action: 'cancelDeletion' })).toMatchObject({ ok: true });
  await row(sam, '*强').getByRole('button', { name: '完成注销' }).click();
  await pickReason(sam, 'CUSTOMER_REQUEST', '本人申请注销');
  await sam.locator('.ant-message', { hasText: 'DELETION_NOT_REQUESTED' }).waitFor();
  await sam.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await row(sam, '*强').waitFor({ state: 'detached' });

  await row(sam, '*刚').getByRole('button', { name: '完成注销' }).click();
  await pickReason(sam, 'CUSTOMER_REQUEST', '本人申请注销');
  await sam.locator('.ant-message', { hasText: '已完成' }).last().waitFor();
  await row(sam, '*刚').waitFor({ state: 'detached' });
  expect(auditOf('identity.deletion_completed')).toEqual([
    expect.objectContaining({ actor: 'wb:sam', subject: `borrower:${DELETER.openid}` }),
  ]);
});
