import { TokenBucket } from '../../server/wechatpay/token-bucket';
import { wechatPayQps } from '../../server/payout/rate-limited-transfer';

describe('token bucket towards WeChat Pay', () => {
  test('a burst is served at once, then one take per 1/rate seconds, in arrival order', async () => {
    let now = 0;
    const slept: number[] = [];
    const bucket = new TokenBucket(
      100,
      5,
      () => now,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    const order: number[] = [];
    await Promise.all(Array.from({ length: 25 }, (_, i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // 5 from the burst, 20 paced at 10 ms each: 200 ms of (simulated) time.
    expect(now).toBe(200);
    expect(slept.every((ms) => ms === 10)).toBe(true);
  });

  test('the default is the documented 100 QPS in production; configurable; unlimited against the local sandbox', () => {
    expect(wechatPayQps({ WECHATPAY_BASE_URL: 'https://api.mch.weixin.qq.com' })).toBe(100);
    expect(wechatPayQps({})).toBe(100);
    expect(wechatPayQps({ WXLEND_WECHATPAY_QPS: '40' })).toBe(40);
    expect(wechatPayQps({ WECHATPAY_BASE_URL: 'http://127.0.0.1:9670' })).toBeUndefined();
    expect(wechatPayQps({ WECHATPAY_BASE_URL: 'http://127.0.0.1:9670', WXLEND_WECHATPAY_QPS: '5' })).toBe(5);
  });
});
