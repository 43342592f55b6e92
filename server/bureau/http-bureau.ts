import type { Clock } from '../clock';
import type { CreditDataSource, CreditLookup, CreditOutage, CreditSubject } from '../risk/credit-data';
import { CircuitBreaker, type BreakerState } from './breaker';
import type { HttpBureauConfig } from './config';
import { CREDIT_REPORTS_PATH, creditReportAnswerSchema, type CreditReportRequest } from './protocol';
import { bureauNonce, signedBureauHeaders } from './signature';

/** Decrypts the subject's name and ID number for the request (never logged). */
export type RevealSubject = (subject: CreditSubject) => { name: string; idNumber: string };

/** What the client needs besides its configuration. */
export interface HttpBureauDeps {
  clock: Clock;
  reveal: RevealSubject;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/** Why one exchange failed, from its HTTP status (401/403: our signature or client id was refused). */
function outageOfStatus(status: number): CreditOutage {
  return status === 401 || status === 403 ? 'refused' : 'down';
}

/**
 * The credit bureau over signed HTTP (docs/credit-bureau.md): one POST per lookup with a timeout,
 * the answer validated by a schema; timeouts, errors, refusals and malformed answers count towards
 * the circuit breaker and answer `unavailable` (the review then sends the application to a person).
 */
export class HttpCreditBureau implements CreditDataSource {
  private readonly breaker: CircuitBreaker;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly config: HttpBureauConfig,
    private readonly deps: HttpBureauDeps,
  ) {
    this.breaker = new CircuitBreaker(config.breaker, deps.clock);
    this.fetchImpl = deps.fetch ?? fetch;
  }

  /** The breaker's state (closed, open, half_open). */
  breakerState(): BreakerState {
    return this.breaker.state();
  }

  async lookup(subject: CreditSubject): Promise<CreditLookup> {
    let person: { name: string; idNumber: string };
    try {
      person = this.deps.reveal(subject);
    } catch (error) {
      // Our own keys cannot read the identity: not the bureau's failure, so the breaker is untouched.
      console.error(`[bureau] subject unreadable: ${(error as Error).name}`);
      return { status: 'unavailable', cause: 'not_configured' };
    }
    if (!this.breaker.allow()) return { status: 'unavailable', cause: 'circuit_open' };
    const answer = await this.exchange(subject, person);
    if (answer.status === 'unavailable') {
      this.breaker.failed();
      console.error(`[bureau] unavailable: ${answer.cause}; breaker ${this.breaker.state()}`);
    } else this.breaker.succeeded();
    return answer;
  }

  /** One signed request and its validated answer. */
  private async exchange(
    subject: CreditSubject,
    person: { name: string; idNumber: string },
  ): Promise<CreditLookup> {
    const inquiryId = bureauNonce();
    const request: CreditReportRequest = {
      inquiryId,
      purpose: 'loan_application',
      subject: person,
      authorisation: {
        version: subject.authorisation.version,
        textSha256: subject.authorisation.textSha256,
        at: subject.authorisation.at,
      },
    };
    const body = JSON.stringify(request);
    // The inquiry id is the request's single-use nonce.
    const headers = {
      'content-type': 'application/json',
      ...signedBureauHeaders(this.config.key, this.config.clientId, body, {
        nowMs: this.deps.clock.now(),
        nonce: inquiryId,
      }),
    };
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${this.config.baseUrl}${CREDIT_REPORTS_PATH}`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      return {
        status: 'unavailable',
        cause: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'down',
      };
    }
    if (response.status !== 200) return { status: 'unavailable', cause: outageOfStatus(response.status) };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { status: 'unavailable', cause: 'malformed' };
    }
    const parsed = creditReportAnswerSchema.safeParse(json);
    if (!parsed.success) return { status: 'unavailable', cause: 'malformed' };
    return parsed.data.found ? { status: 'found', profile: parsed.data.report } : { status: 'none' };
  }
}
