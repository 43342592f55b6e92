import type { Browser, Page } from 'playwright-core';
import type { Enrollment } from '../../server/operators/console-admin';
import { totpCode } from '../../server/operators/totp';
import type { TestEmulator } from '../helpers/emulator';
import { userAction } from '../loan/emulator-harness';

/** Opens /ops/ in a fresh context and signs in with the password and the current TOTP code. */
export async function signInPage(
  browser: Browser,
  emu: TestEmulator,
  enrollment: Enrollment,
  password = enrollment.initialPassword ?? '',
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(`${emu.baseUrl}/ops/`);
  const { now } = await userAction<{ now: number }>(emu, '/_admin/clock', {});
  await page.fill('#login', enrollment.login);
  await page.fill('#password', password);
  await page.fill('#code', totpCode(enrollment.totpSecret, now));
  await page.click('#sign-in');
  await page.locator('#me').waitFor();
  return page;
}

/** Picks `code` in the open reason modal, fills the free text when given, and confirms. */
export async function pickReason(page: Page, code: string, text?: string): Promise<void> {
  const modal = page.getByRole('dialog');
  await modal.getByRole('combobox').click();
  await page.locator('.ant-select-item-option', { hasText: code }).click();
  if (text) await modal.locator('#reason-text').fill(text);
  await page.click('#reason-ok');
}
