import type { TxDocs } from '../storage/doc-store';
import { AppError } from '../runtime/app-error';
import { APPLICATIONS, type ApplicationDoc } from './application-doc';
import { OUTSTANDING_STATUSES } from './transitions';

/**
 * The refusal for a borrower whose active-application slot is taken: a loan not yet repaid says
 * so (settle it first), anything else is an application in progress. Reads the occupying
 * application, only on this refusal path.
 */
export async function slotTakenError(tx: TxDocs, activeApplicationId: string): Promise<AppError> {
  const occupying = await tx.get<ApplicationDoc>(APPLICATIONS, activeApplicationId);
  if (occupying && OUTSTANDING_STATUSES.includes(occupying.status)) {
    return new AppError('OUTSTANDING_LOAN_EXISTS', '您有一笔借款尚未还清，结清后即可再次申请');
  }
  return new AppError('ACTIVE_APPLICATION_EXISTS', '您已有一笔进行中的借款申请');
}
