import { handlePaymentResult, type CallbackAnswer } from '../../server/repayment/payment-result';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import { currentCaller } from '../../server/runtime/cloud';

/** `repaymentResult`: cloudPay's payment/refund result receiver (named in unifiedOrder). */
export async function main(event: unknown): Promise<CallbackAnswer> {
  return handlePaymentResult(repaymentDepsFromEnv(), currentCaller(), event);
}
