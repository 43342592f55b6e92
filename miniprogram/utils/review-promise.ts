import type { ApplicationView } from '../../typings/loan';
import { dateTime } from './format';

/**
 * What the borrower waits for while a person decides, from the time the server promised
 * (`expectedDecisionBy`, configured hours); '' when nobody is deciding.
 */
export function expectedDecisionText(app: ApplicationView): string {
  if (app.expectedDecisionBy === undefined) return '';
  const by = dateTime(app.expectedDecisionBy);
  return app.status === 'appealed'
    ? `人工复议中，预计 ${by} 前给出结果，届时通过服务通知告知您`
    : `人工审核中，预计 ${by} 前完成，结果将通过服务通知告知您`;
}
