import { stringParam, type OpenApiCall } from './call';
import { grantKey } from './state';
import { checkTemplateData } from './template-fields';
import { MAX_TEMPLATES_PER_REQUEST } from './test-data';
import { invalidArgument, WxApiError } from './wx-error';

const MINIPROGRAM_STATES = new Set(['developer', 'trial', 'formal']);

/** `subscribeMessage.send`: checks the fields, spends one authorisation, delivers to the outbox. */
export function sendSubscribeMessage(call: OpenApiCall): Record<string, unknown> {
  const touser = stringParam(call, 'touser');
  const templateId = stringParam(call, 'template_id');
  if (!touser) throw new WxApiError(40003, 'invalid openid');
  if (!templateId) throw new WxApiError(40037, 'invalid template_id');
  const state = stringParam(call, 'miniprogram_state');
  if (state !== undefined && !MINIPROGRAM_STATES.has(state))
    throw invalidArgument('miniprogram_state must be developer, trial or formal');
  const bad = checkTemplateData(call.params.data);
  if (bad) throw bad;
  const key = grantKey(touser, templateId);
  const remaining = call.state.grants.get(key) ?? 0;
  if (remaining <= 0) throw new WxApiError(43101, 'user refuse to accept the msg');
  call.state.grants.set(key, remaining - 1);
  const message = call.state.record({
    at: call.now,
    kind: 'message',
    api: call.api,
    caller: call.caller?.name,
    errcode: 0,
    payload: {
      touser,
      template_id: templateId,
      page: call.params.page,
      data: call.params.data,
      miniprogram_state: state ?? 'formal',
    },
  });
  return { msgid: message.seq };
}

/**
 * What `wx.requestSubscribeMessage` records for one tap: each accepted template adds one
 * authorisation. Returns the per-template answer the client API gives.
 */
export function grantSubscriptions(
  grants: Map<string, number>,
  openid: string,
  tmplIds: string[],
  accepted: string[],
): Record<string, 'accept' | 'reject'> {
  if (tmplIds.length === 0 || tmplIds.length > MAX_TEMPLATES_PER_REQUEST)
    throw new RangeError(`tmplIds must hold 1 to ${MAX_TEMPLATES_PER_REQUEST} template ids`);
  const answer: Record<string, 'accept' | 'reject'> = {};
  for (const id of tmplIds) {
    const accept = accepted.includes(id);
    answer[id] = accept ? 'accept' : 'reject';
    if (accept) grants.set(grantKey(openid, id), (grants.get(grantKey(openid, id)) ?? 0) + 1);
  }
  return answer;
}
