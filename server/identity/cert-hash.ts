import { createHash } from 'node:crypto';

/** `cert_info` of getVerifyId for a resident ID card. */
export interface CertInfo {
  cert_type: 'IDENTITY_CARD';
  cert_name: string;
  cert_no: string;
}

/** The cert_info WeChat's face verification receives for a canonical name and ID number. */
export function certInfoOf(name: string, idNumber: string): CertInfo {
  return { cert_type: 'IDENTITY_CARD', cert_name: name, cert_no: idNumber };
}

/**
 * `cert_hash` of queryVerifyInfo, as WeChat documents it: each field base64-encoded, joined as
 * `cert_type=…&cert_name=…&cert_no=…`, SHA-256, lowercase hex.
 */
export function certHash(cert: CertInfo): string {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const joined = `cert_type=${b64(cert.cert_type)}&cert_name=${b64(cert.cert_name)}&cert_no=${b64(cert.cert_no)}`;
  return createHash('sha256').update(joined, 'utf8').digest('hex');
}
