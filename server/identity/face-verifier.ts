import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { DocStore } from '../storage/doc-store';
import { certHash, certInfoOf } from './cert-hash';
import { FACE_VERIFY_PASSED, type FaceVerifyApi } from './face-api';
import { identityError } from './messages';
import type { IdentityOpenApi } from './openapi-port';
import { openApiRefusal, resolvePhone } from './phone';
import { faceSessionId, IDENTITY_COLLECTIONS, type IdentityFaceSessionDoc } from './records';
import type { IdentityVerifier } from './verifier';

/** What the face verifier works with. */
export interface FaceVerifierDeps {
  /** Cloud calls (the phone number). */
  openApi: IdentityOpenApi;
  /** getVerifyId / queryVerifyInfo over HTTPS. */
  face: FaceVerifyApi;
  store: DocStore;
  clock: Clock;
}

/**
 * WeChat face verification (licensed lenders only), current flow: `startSession` calls getVerifyId
 * with the typed name and ID number and keeps the session (openid, out_seq_no, expiry); the page
 * runs `wx.requestFacialVerify({verifyId})`; `verify` asks queryVerifyInfo with the cert_hash of the
 * CLAIMED identity, so WeChat itself refuses a session run for any other name, number or openid.
 */
export function faceVerifier(deps: FaceVerifierDeps): IdentityVerifier {
  return {
    kind: 'face',
    attemptCountedAt: 'start',
    requireEvidence(claim) {
      if (!claim.faceVerifyId) throw identityError('FACE_RESULT_REQUIRED');
    },
    async startSession(openid, person) {
      const outSeqNo = randomBytes(12).toString('hex');
      let started;
      try {
        started = await deps.face.getVerifyId({
          outSeqNo,
          openid,
          certInfo: certInfoOf(person.name, person.idNumber),
        });
      } catch (error) {
        throw openApiRefusal(error, 'VERIFIER_UNAVAILABLE');
      }
      const now = deps.clock.now();
      const session: IdentityFaceSessionDoc = {
        _id: faceSessionId(started.verifyId),
        openid,
        outSeqNo,
        expiresAt: now + started.expiresInSeconds * 1000,
        createdAt: now,
      };
      await deps.store.transact((tx) => tx.put(IDENTITY_COLLECTIONS.faceSessions, session));
      return { verifyId: started.verifyId, expiresAt: session.expiresAt };
    },
    async verify(claim) {
      this.requireEvidence(claim);
      const verifyId = claim.faceVerifyId ?? '';
      const session = await deps.store.get<IdentityFaceSessionDoc>(
        IDENTITY_COLLECTIONS.faceSessions,
        faceSessionId(verifyId),
      );
      if (session?.openid !== claim.openid) throw identityError('FACE_RESULT_INVALID');
      if (deps.clock.now() >= session.expiresAt) throw identityError('FACE_SESSION_EXPIRED');
      let result;
      try {
        result = await deps.face.queryVerifyInfo({
          verifyId,
          outSeqNo: session.outSeqNo,
          openid: claim.openid,
          certHash: certHash(certInfoOf(claim.name, claim.idNumber)),
        });
      } catch (error) {
        throw openApiRefusal(error, 'FACE_RESULT_INVALID');
      }
      if (result.verifyRet !== FACE_VERIFY_PASSED) throw identityError('FACE_NOT_PASSED');
      return { phone: await resolvePhone(deps.openApi, claim.phoneCode) };
    },
  };
}
