import { createHash } from 'node:crypto';
import { stringParam, type OpenApiCall } from './call';
import { FACE_RESULT_TTL_MS } from './test-data';
import { invalidArgument } from './wx-error';

/** Lowercase hex md5, as WeChat reports the name and ID number it verified. */
function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * The legacy face-verification result check (`/cityservice/face/identify/getinfo`), served as the
 * cloud call `cityservice.getFaceIdentifyInfo`: `verify_result` → `identify_ret` (0 = pass).
 */
export function getFaceIdentifyInfo(call: OpenApiCall): Record<string, unknown> {
  const verifyResult = stringParam(call, 'verify_result');
  const result = verifyResult ? call.state.faceResults.get(verifyResult) : undefined;
  if (!result || call.now - result.finishedAt > FACE_RESULT_TTL_MS)
    throw invalidArgument('verify_result is unknown or expired');
  const seconds = Math.floor(result.finishedAt / 1000);
  return {
    identify_ret: result.identifyRet,
    identify_time: seconds,
    validate_data: '',
    openid: result.openid,
    user_id_key: '',
    finish_time: seconds,
    id_card_number_md5: md5(result.idCardNumber.toUpperCase()),
    name_utf8_md5: md5(result.name),
  };
}
