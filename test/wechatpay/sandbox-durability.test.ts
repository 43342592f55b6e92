import { startTestEmulator } from '../helpers/emulator';
import type { WechatPaySandbox } from '../../emulator/src/wechatpay';
import { startWechatPayHarness, transferInput, userAction, type WechatPayHarness } from './helpers';

/** WeChat's state is durable before anyone acts on it, and a final state never without its notification. */
describe('WeChat Pay sandbox: a state, its history and its notification are one durable write', () => {
  let h: WechatPayHarness;
  beforeAll(async () => {
    h = await startWechatPayHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('when the notification cannot be stored, SUCCESS is not stored either; after a restart the step completes with its notification', async () => {
    const input = transferInput(h, { notifyUrl: `${h.emu.baseUrl}/http/nowhere` });
    const created = await h.client.createTransferBill(input);
    await h.advance(1_100);
    await h.advance(1_100);
    const confirmed = await userAction(h, {
      package: created.package_info ?? '',
      openId: input.openid,
      action: 'confirm',
    });
    expect(confirmed.status).toBe(200);
    // The disk refuses the notification row (e.g. full) at the moment the bill would settle.
    h.emu.hub.sqlite.exec(
      `CREATE TRIGGER refuse_notification BEFORE INSERT ON wechatpay_notifications
       BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    await h.advance(2_100);
    const listed = h.sandbox.listBills().find((l) => l.bill.outBillNo === input.outBillNo);
    expect(listed?.bill.state).toBe('TRANSFERING');
    expect(listed?.history.filter((e) => e.kind === 'state').map((e) => e.detail.to)).not.toContain(
      'SUCCESS',
    );
    expect(listed?.notifications).toEqual([]);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('TRANSFERING');

    // Restarted on the same data folder with the disk healthy again: the due step runs, notification and all.
    h.emu.hub.sqlite.exec('DROP TRIGGER refuse_notification');
    const port = Number(new URL(h.emu.baseUrl).port);
    await h.emu.stop({ keepData: true });
    const again = await startTestEmulator({ dataDir: h.emu.dataDir, port });
    try {
      await again.hub.clock.advance(2_100);
      const sandbox = again.hub.service<WechatPaySandbox>('wechatpay');
      const after = sandbox.listBills().find((l) => l.bill.outBillNo === input.outBillNo);
      expect(after?.bill.state).toBe('SUCCESS');
      expect(after?.notifications.map((n) => n.state)).toEqual(['SUCCESS']);
    } finally {
      await again.stop();
      h = { ...h, stop: async () => undefined };
    }
  });
});
