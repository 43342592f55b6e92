import type { getCloud } from '../runtime/cloud';
import { OpenApiCallError, type IdentityOpenApi, type OpenApiFailure } from './openapi-port';

/** The SDK's error fields (errCode is WeChat's errcode for open API refusals). */
function errcodeOf(error: unknown): number | string | undefined {
  const code = (error as { errCode?: unknown } | null)?.errCode;
  return typeof code === 'number' || typeof code === 'string' ? code : undefined;
}

/** Maps a thrown SDK error onto the domain's failure kinds; the message (which may echo input) is dropped. */
function failure(error: unknown, known: Record<number, OpenApiFailure>): OpenApiCallError {
  const errcode = errcodeOf(error);
  return new OpenApiCallError((typeof errcode === 'number' && known[errcode]) || 'unavailable', errcode);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The open API calls over `cloud.openapi` (the function's config.json must grant each one). */
export function sdkIdentityOpenApi(cloud: ReturnType<typeof getCloud>): IdentityOpenApi {
  const api = cloud.openapi as unknown as {
    phonenumber: { getPhoneNumber(p: { code: string }): Promise<Record<string, unknown>> };
    ocr: {
      idcard(p: {
        type: string;
        img: { contentType: string; value: Buffer };
      }): Promise<Record<string, unknown>>;
    };
  };
  return {
    async getPhoneNumber(code) {
      try {
        const answer = await api.phonenumber.getPhoneNumber({ code });
        const info = (answer.phoneInfo ?? {}) as Record<string, unknown>;
        return { purePhoneNumber: text(info.purePhoneNumber), countryCode: text(info.countryCode) };
      } catch (error) {
        throw failure(error, { 40029: 'invalid_code', 40163: 'invalid_code', 41002: 'invalid_code' });
      }
    },
    async ocrIdCard(image) {
      try {
        const answer = await api.ocr.idcard({
          type: 'photo',
          img: { contentType: image.contentType, value: image.bytes },
        });
        return {
          type: answer.type === 'Back' ? 'Back' : 'Front',
          name: text(answer.name),
          id: text(answer.id),
        };
      } catch (error) {
        throw failure(error, { 101000: 'invalid_image', 101001: 'not_recognised', 101002: 'not_recognised' });
      }
    },
  };
}
