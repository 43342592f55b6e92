import { stringParam, type OpenApiCall } from './call';
import { riskRankFor } from './test-data';
import { invalidArgument, WxApiError } from './wx-error';

/** `riskControl.getUserRiskRank`: `risk_rank` 0–4 chosen by the openid (see TEST-DATA.md). */
export function getUserRiskRank(call: OpenApiCall): Record<string, unknown> {
  const openid = stringParam(call, 'openid');
  if (!openid) throw new WxApiError(40003, 'invalid openid');
  if (call.params.scene !== 0 && call.params.scene !== 1) throw invalidArgument('scene must be 0 or 1');
  if (!stringParam(call, 'client_ip')) throw invalidArgument('client_ip is required');
  return { risk_rank: riskRankFor(openid), unoin_id: call.state.outbox.length + 1 };
}
