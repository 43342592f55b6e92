import type { FakeBureauService } from '../../emulator/src/bureau/service';
import { currentCreditInquiry } from '../../server/loan/credit-consent';
import { CREDIT_INQUIRY_TEXT } from '../../shared/credit-inquiry-authorisation';
import { docs, verifyBorrower } from '../loan/emulator-harness';
import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  fillApplication,
  openPage,
  openedApplicationId,
  tap,
  tickCreditInquiry,
  untilText,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** The fake bureau's approved test identity, verified WITHOUT the credit-inquiry authorisation. */
const PERSON = { name: '李明', idNumber: '110101199003071233', phone: '13800138000' };
const OPENID = 'o-mp-credit-inquiry';

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
  resetPhone(backend.emu.baseUrl, OPENID);
  await verifyBorrower(backend.emu, OPENID, PERSON, { creditInquiry: false });
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

const borrower = () =>
  docs<{ _id: string; creditInquiry?: Record<string, unknown> }>(backend.emu, 'borrowers').find(
    (b) => b._id === OPENID,
  );
const bureau = () => backend.emu.hub.service<FakeBureauService>('bureau');

test('the apply page asks for the credit-inquiry authorisation with its text; without it nothing is sent', async () => {
  const apply = openPage('packages/borrow/apply/index');
  await untilText(apply, '征信查询授权书', `授权书版本 ${currentCreditInquiry().version}`);
  const text = textOf(apply);
  for (const line of CREDIT_INQUIRY_TEXT.split('\n')) expect(text).toContain(line);

  await fillApplication(apply, '300');
  tickCreditInquiry(apply); // untick: the borrower declines
  const inquiries = bureau().received().length;
  tap(apply, '#submit-button');
  await untilText(apply, '请阅读并同意《征信查询授权书》');
  expect(borrower()?.creditInquiry).toBeUndefined();
  expect(
    docs<{ openid: string }>(backend.emu, 'loanApplications').filter((a) => a.openid === OPENID),
  ).toEqual([]);
  expect(bureau().received().length).toBe(inquiries);

  tickCreditInquiry(apply);
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  const current = currentCreditInquiry();
  expect(borrower()?.creditInquiry).toMatchObject({ version: current.version, textSha256: current.sha256 });
  const stored = docs<{ _id: string; status: string }>(backend.emu, 'loanApplications').find(
    (a) => a._id === openedApplicationId(),
  );
  expect(stored?.status).toBe('approved');
  // The bureau was asked once, after the authorisation, carrying its version.
  expect(bureau().received().slice(inquiries)).toEqual([
    expect.objectContaining({ answer: 'found', authorisationVersion: current.version }),
  ]);
});
