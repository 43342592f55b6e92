import { stringParam, type OpenApiCall } from './call';
import { PHONE_CODE_TTL_MS } from './test-data';
import { WxApiError } from './wx-error';

/** `phonenumber.getPhoneNumber`: trades a single-use button code (≤ 5 min old) for `phone_info`. */
export function getPhoneNumber(call: OpenApiCall): Record<string, unknown> {
  const code = stringParam(call, 'code');
  const entry = code ? call.state.phoneCodes.get(code) : undefined;
  if (!code || !entry || entry.used || call.now - entry.issuedAt > PHONE_CODE_TTL_MS)
    throw new WxApiError(40029, 'invalid code');
  // Stored again, not changed in place: the state is durable.
  call.state.phoneCodes.set(code, { ...entry, used: true });
  return {
    phone_info: {
      phoneNumber: entry.phone,
      purePhoneNumber: entry.phone,
      countryCode: '86',
      watermark: { timestamp: Math.floor(call.now / 1000), appid: call.appId },
    },
  };
}
