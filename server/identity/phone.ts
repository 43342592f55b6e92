import { identityError } from './messages';
import { OpenApiCallError, type IdentityOpenApi } from './openapi-port';

/** Maps open API failures shared by both verifiers onto domain errors; anything else is rethrown. */
export function openApiRefusal(error: unknown, onInvalid: Parameters<typeof identityError>[0]): Error {
  if (!(error instanceof OpenApiCallError)) return error as Error;
  if (error.failure === 'unavailable') return identityError('VERIFIER_UNAVAILABLE');
  return identityError(onInvalid);
}

/** Trades the single-use button code for the phone number WeChat vouches for. */
export async function resolvePhone(api: IdentityOpenApi, code: string): Promise<string> {
  let info;
  try {
    info = await api.getPhoneNumber(code);
  } catch (error) {
    throw openApiRefusal(error, 'PHONE_CODE_INVALID');
  }
  const pure = info.purePhoneNumber.replace(/\s/g, '');
  if (!/^\d{5,15}$/.test(pure)) throw identityError('PHONE_CODE_INVALID');
  const country = info.countryCode.replace(/^\+/, '') || '86';
  return country === '86' ? pure : `+${country}${pure}`;
}
