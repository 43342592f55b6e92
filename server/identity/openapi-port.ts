/** The WeChat cloud-call open APIs identity verification uses, as a port (the SDK adapter is sdk-openapi.ts). */

/** `phonenumber.getPhoneNumber` answer. */
export interface PhoneInfo {
  /** Without country code. */
  purePhoneNumber: string;
  countryCode: string;
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
  ocrIdCard(image: { contentType: string; bytes: Buffer }): Promise<IdCardOcr>;
}
