import type { DocStore } from '../storage/doc-store';
import type { Clock } from '../clock';
import type { CollectionApi } from './cloudpay-port';
import type { RepaymentConfig } from './config';

/** Name of the function cloudPay calls with payment and refund results. */
export const RESULT_FUNCTION = 'repaymentResult';

/** What the repayment domain runs with. */
export interface RepaymentDeps {
  docs: DocStore;
  pay: CollectionApi;
  clock: Clock;
  config: RepaymentConfig;
  /** Fault injection for crash tests (absent in production). */
  crashPoint?: (point: string) => void;
}
