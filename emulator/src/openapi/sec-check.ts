import { randomUUID } from 'node:crypto';
import { stringParam, type OpenApiCall } from './call';
import { contentVerdict, RECENT_VISIT_WINDOW_MS } from './test-data';
import { invalidArgument, WxApiError } from './wx-error';

/**
 * `security.msgSecCheck`: v1 (no `version`) answers 87014 for risky text; v2 (`version: 2`) needs
 * `openid` (seen in the last 2 h) and `scene` 1–4 and answers a verdict with `suggest` and `label`.
 */
export function msgSecCheck(call: OpenApiCall): Record<string, unknown> {
  const content = stringParam(call, 'content');
  if (content === undefined) throw invalidArgument('content is required');
  const verdict = contentVerdict(content);
  if (call.params.version === undefined) {
    if (verdict.suggest !== 'pass') throw new WxApiError(87014, 'risky content');
    return {};
  }
  if (call.params.version !== 2) throw invalidArgument('version must be 2');
  const openid = stringParam(call, 'openid');
  if (!openid) throw new WxApiError(40003, 'invalid openid');
  const scene = call.params.scene;
  if (scene !== 1 && scene !== 2 && scene !== 3 && scene !== 4)
    throw invalidArgument('scene must be 1, 2, 3 or 4');
  const seen = call.state.lastSeen.get(openid);
  if (seen === undefined || call.now - seen > RECENT_VISIT_WINDOW_MS)
    throw new WxApiError(61010, 'user access record timeout');
  return {
    result: verdict,
    detail: [
      { strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 },
    ],
    trace_id: randomUUID().replace(/-/g, ''),
  };
}
