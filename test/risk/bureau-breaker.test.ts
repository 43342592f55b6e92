import { CircuitBreaker } from '../../server/bureau/breaker';
import { creditBureauConfig } from '../../server/bureau/config';

describe('circuit breaker', () => {
  const clock = {
    t: 0,
    now() {
      return this.t;
    },
  };
  const breaker = () => new CircuitBreaker({ failures: 3, openMs: 10_000 }, clock);

  it('opens after N consecutive failures, lets one probe through after openMs, closes on its success', () => {
    clock.t = 0;
    const b = breaker();
    b.failed();
    b.succeeded();
    b.failed();
    b.failed();
    expect(b.allow()).toBe(true);
    b.failed();
    expect(b.state()).toBe('open');
    expect(b.allow()).toBe(false);
    clock.t = 10_000;
    expect(b.state()).toBe('half_open');
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false); // one probe at a time
    b.succeeded();
    expect(b.state()).toBe('closed');
    expect(b.allow()).toBe(true);
  });

  it('a failed probe opens it again for openMs', () => {
    clock.t = 0;
    const b = breaker();
    for (let i = 0; i < 3; i += 1) b.failed();
    clock.t = 10_000;
    expect(b.allow()).toBe(true);
    b.failed();
    expect(b.allow()).toBe(false);
    clock.t = 19_999;
    expect(b.allow()).toBe(false);
    clock.t = 20_000;
    expect(b.allow()).toBe(true);
  });
});

describe('credit-bureau configuration', () => {
  const key = Buffer.alloc(32, 1).toString('base64');
  const http = {
    WXLEND_CREDIT_BUREAU: 'http',
    WXLEND_CREDIT_BUREAU_URL: 'https://bureau.example.com/api/',
    WXLEND_CREDIT_BUREAU_CLIENT_ID: 'lender-1',
    WXLEND_CREDIT_BUREAU_KEY: key,
  };

  it('reads the http bureau with defaults; none is accepted', () => {
    expect(creditBureauConfig(http)).toMatchObject({
      kind: 'http',
      baseUrl: 'https://bureau.example.com/api',
      timeoutMs: 3000,
      breaker: { failures: 5, openMs: 30_000 },
    });
    expect(creditBureauConfig({ WXLEND_CREDIT_BUREAU: 'none' })).toEqual({ kind: 'none' });
  });

  it.each([
    [{}, /WXLEND_CREDIT_BUREAU must be one of http \| none/],
    [{ ...http, WXLEND_CREDIT_BUREAU_URL: 'http://bureau.example.com' }, /must use https/],
    [{ ...http, WXLEND_CREDIT_BUREAU_KEY: 'c2hvcnQ=' }, /≥ 32 bytes/],
    [{ ...http, WXLEND_CREDIT_BUREAU_CLIENT_ID: '' }, /WXLEND_CREDIT_BUREAU_CLIENT_ID is required/],
    [{ ...http, WXLEND_CREDIT_BUREAU_TIMEOUT_MS: '5' }, /TIMEOUT_MS must be an integer 100–20000/],
    [{ ...http, WXLEND_CREDIT_BUREAU_BREAKER: '{"failures":0}' }, /failures 1–100/],
  ])('refuses a bad configuration with a message naming the variable (%#)', (env, message) => {
    expect(() => creditBureauConfig(env)).toThrow(message);
  });
});
