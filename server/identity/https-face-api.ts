import type { WechatApiClient } from '../wechat-api/client';
import { WechatApiUnavailableError, type WechatApiAnswer } from '../wechat-api/errors';
import type { FaceVerifyApi } from './face-api';
import { OpenApiCallError } from './openapi-port';

/** errcodes that mean "try later" rather than "this session is not valid". */
const TRANSIENT = new Set([-1, 45009, 40001, 40014, 42001]);

/** The answer when errcode is 0; otherwise the failure kind the domain maps to a refusal. */
function succeeded(answer: WechatApiAnswer): WechatApiAnswer {
  const errcode = answer.errcode ?? 0;
  if (errcode === 0) return answer;
  throw new OpenApiCallError(TRANSIENT.has(errcode) ? 'unavailable' : 'invalid_result', errcode);
}

async function send(client: WechatApiClient, path: string, body: Record<string, unknown>) {
  try {
    return succeeded(await client.post(path, body));
  } catch (error) {
    if (error instanceof WechatApiUnavailableError) throw new OpenApiCallError('unavailable', error.errcode);
    throw error;
  }
}

/** getVerifyId and queryVerifyInfo over HTTPS (`/cityservice/face/identify/...?access_token=`). */
export function httpsFaceVerifyApi(client: WechatApiClient): FaceVerifyApi {
  return {
    async getVerifyId({ outSeqNo, openid, certInfo }) {
      const answer = await send(client, '/cityservice/face/identify/getverifyid', {
        out_seq_no: outSeqNo,
        cert_info: certInfo,
        openid,
      });
      if (typeof answer.verify_id !== 'string' || answer.verify_id === '')
        throw new OpenApiCallError('unavailable', undefined);
      return {
        verifyId: answer.verify_id,
        expiresInSeconds: typeof answer.expires_in === 'number' ? answer.expires_in : 3600,
      };
    },
    async queryVerifyInfo({ verifyId, outSeqNo, openid, certHash }) {
      const answer = await send(client, '/cityservice/face/identify/queryverifyinfo', {
        verify_id: verifyId,
        out_seq_no: outSeqNo,
        cert_hash: certHash,
        openid,
      });
      return { verifyRet: typeof answer.verify_ret === 'number' ? answer.verify_ret : -1 };
    },
  };
}
