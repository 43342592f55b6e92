/** The WeChat open APIs identity verification uses, as a port (the SDK adapter is sdk-openapi.ts). */

/** `phonenumber.getPhoneNumber` answer. */
export interface PhoneInfo {
  /** Without country code. */
  purePhoneNumber: string;
  countryCode: string;
}

/** `cityservice.getFaceIdentifyInfo` answer (legacy face verification). */
export interface FaceIdentifyInfo {
  /** 0 = the face matched the identity. */
  identifyRet: number;
  /** Whose face verification it was. */
  openid: string;
  /** Lowercase hex MD5 of the upper-case ID number that was verified. */
  idCardNumberMd5: string;
  /** Lowercase hex MD5 of the UTF-8 name that was verified. */
  nameUtf8Md5: string;
}

/** `ocr.idcard` answer. */
export interface IdCardOcr {
  type: 'Front' | 'Back';
  name: string;
  id: string;
}

/** Why an open API call failed, as the domain needs to know it. */
export type OpenApiFailure =
  'invalid_code' | 'invalid_result' | 'not_recognised' | 'invalid_image' | 'unavailable';

/** A failed open API call; carries only the WeChat errcode, never the parameters. */
export class OpenApiCallError extends Error {
  constructor(
    /** What the failure means for verification. */
    readonly failure: OpenApiFailure,
    /** WeChat errcode or SDK error code, for logs. */
    readonly errcode: number | string | undefined,
  ) {
    super(`open API call failed (${failure}, errcode ${String(errcode)})`);
    this.name = 'OpenApiCallError';
  }
}

/** The calls; each throws OpenApiCallError. */
export interface IdentityOpenApi {
  getPhoneNumber(code: string): Promise<PhoneInfo>;
  getFaceIdentifyInfo(verifyResult: string): Promise<FaceIdentifyInfo>;
  ocrIdCard(image: { contentType: string; bytes: Buffer }): Promise<IdCardOcr>;
}
