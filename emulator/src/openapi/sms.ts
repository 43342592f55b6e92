import { randomBytes } from 'node:crypto';
import { stringParam, type OpenApiCall } from './call';
import { WxApiError } from './wx-error';

const MAX_NUMBERS = 1000;
const MAX_CONTENT = 30;
const MAINLAND_NUMBER = /^\+861\d{10}$/;

/** The error `cloudbase.sendSms` answers for a bad parameter. */
function badParam(message: string): WxApiError {
  return new WxApiError(-501007, `参数有误: ${message}`);
}

/** `cloudbase.sendSms`: ≤ 1000 +86 numbers; Marketing text ≤ 30 characters; each SMS goes to the outbox. */
export function sendSms(call: OpenApiCall): Record<string, unknown> {
  const numbers = call.params.phone_number_list;
  if (!Array.isArray(numbers) || numbers.length === 0) throw badParam('phone_number_list is required');
  if (numbers.length > MAX_NUMBERS) throw badParam(`at most ${MAX_NUMBERS} numbers per request`);
  for (const n of numbers)
    if (typeof n !== 'string' || !MAINLAND_NUMBER.test(n))
      throw badParam('every number must be a mainland mobile number starting with +86');
  const type = stringParam(call, 'sms_type') ?? 'Marketing';
  const payload: Record<string, unknown> = { sms_type: type };
  if (type === 'Marketing') {
    const content = stringParam(call, 'content');
    const path = stringParam(call, 'path');
    if (!content) throw badParam('content is required for Marketing SMS');
    if (Array.from(content).length > MAX_CONTENT) throw badParam(`content exceeds ${MAX_CONTENT} characters`);
    if (!path) throw badParam('path is required for Marketing SMS');
    Object.assign(payload, { content, path });
  } else if (type === 'Notification') {
    const templateId = stringParam(call, 'template_id');
    const params = call.params.template_param_list;
    if (!templateId) throw badParam('template_id is required for Notification SMS');
    if (!Array.isArray(params) || params.some((p) => typeof p !== 'string'))
      throw badParam('template_param_list must be an array of strings');
    Object.assign(payload, { template_id: templateId, template_param_list: params });
  } else {
    throw badParam('sms_type must be Marketing or Notification');
  }
  const sendStatusList = (numbers as string[]).map((phoneNumber) => {
    const serialNo = randomBytes(12).toString('hex');
    call.state.record({
      at: call.now,
      kind: 'sms',
      api: call.api,
      caller: call.caller?.name,
      errcode: 0,
      payload: { ...payload, phone_number: phoneNumber, serial_no: serialNo },
    });
    return {
      serial_no: serialNo,
      phone_number: phoneNumber,
      code: 'Ok',
      message: 'send success',
      iso_code: 'CN',
    };
  });
  return { send_status_list: sendStatusList };
}
