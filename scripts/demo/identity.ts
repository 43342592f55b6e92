import { randomBytes } from 'node:crypto';
import { clientUpload } from '../../emulator/src/storage/client';
import { callAs, DemoHttpError, postJson, unwrap } from './http';
import { thinFileIdNumber, type Borrower } from './scenarios';

/** The answer of `identity.status` the demo reads. */
interface IdentityStatus {
  notice: { version: string; sha256: string };
  idCardPhotoDir: string;
}

/**
 * Verifies a borrower the way the mini-program does (ocr_phone verifier): privacy-notice consent,
 * a phone code from the getPhoneNumber button, a photographed ID card uploaded to cloud storage, then
 * `identity.verify` with its fileID.
 * A documented identity already bound to an earlier run's borrower is swapped for a fresh
 * thin-file one and the scenario becomes a manual approval; the returned note says so.
 */
export async function verifyIdentity(baseUrl: string, borrower: Borrower): Promise<string | undefined> {
  const status = unwrap(
    'identity.status',
    await callAs<IdentityStatus>(baseUrl, borrower.openid, 'identity', { action: 'status' }),
  );
  unwrap(
    'identity.consent',
    await callAs(baseUrl, borrower.openid, 'identity', {
      action: 'consent',
      noticeVersion: status.notice.version,
      noticeHash: status.notice.sha256,
    }),
  );
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { code } = await postJson<{ code: string }>(baseUrl, '/_user/phone-code', {
      openid: borrower.openid,
      phone: borrower.phone,
    });
    const image = await postJson<{ imageBase64: string }>(baseUrl, '/_user/ocr-image', {
      side: 'Front',
      name: borrower.name,
      id: borrower.idNumber,
    });
    // wx.cloud.uploadFile into the borrower's own folder; only the fileID travels in the call.
    const cloudPath = `${status.idCardPhotoDir}/${randomBytes(8).toString('hex')}.jpg`;
    const uploaded = await clientUpload(
      baseUrl,
      borrower.openid,
      cloudPath,
      Buffer.from(image.imageBase64, 'base64'),
    );
    if (!uploaded.body.fileID) throw new DemoHttpError(`uploadFile: ${uploaded.body.errMsg}`);
    const verified = await callAs(baseUrl, borrower.openid, 'identity', {
      action: 'verify',
      name: borrower.name,
      idNumber: borrower.idNumber,
      phoneCode: code,
      idCardFileId: uploaded.body.fileID,
    });
    if (verified.ok) {
      return attempt === 0 ? undefined : 'documented identity already bound; used a thin-file one';
    }
    if (verified.error.code !== 'ID_ALREADY_BOUND')
      throw new DemoHttpError(`identity.verify: ${verified.error.code}`);
    borrower.idNumber = thinFileIdNumber();
    if (borrower.scenario === 'auto_approve') {
      borrower.scenario = 'review_approve';
      borrower.amount = 15_000;
    }
  }
  throw new DemoHttpError('identity.verify: ID_ALREADY_BOUND three times');
}
