import { validateIdNumber } from '../../../shared/idcard';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../../../shared/identity-policy';
import { validatePersonName } from '../../../shared/person-name';
import { SENSITIVE_INFO_NOTICE_TEXT } from '../../../shared/sensitive-info-notice';
import type { IdentityStatus, IdentityVerifierKind } from '../../../../typings/identity';
import { isRetryable, messageOf, promisesHelp, ServiceError } from '../../../services/errors';
import {
  consentToNotice,
  getIdentityStatus,
  startFaceVerification,
  verifyIdentity,
} from '../../../services/identity';
import { uploadToCloud } from '../../../services/storage';
import { clientSupports, clientTooOldMessage } from '../../../utils/client-support';
import { deviceNow } from '../../../utils/clock';
import { dateTime } from '../../../utils/format';
import { stateOf } from '../../../utils/instance-state';
import type { LoadStatus } from '../../../utils/load-status';
import { ACTION_LABELS } from '../../../utils/labels';
import { randomToken } from '../../../utils/random-token';
import { go, ROUTES } from '../../../utils/routes';
import { pickIdCardPhoto, runFacialVerify, type PickedImage } from '../../../utils/wechat';

/** What the page holds but never renders: single-use codes, the photo, the notice hash, the policy. */
interface Private {
  phoneCode?: string;
  idCardPhoto?: PickedImage;
  /** The caller's own cloud folder for the ID photo (from status). */
  photoDir?: string;
  notice?: { version: string; sha256: string };
  policy: IdentityPolicy;
}

const privateOf = (page: object): Private =>
  stateOf<Private>(page, () => ({ policy: DEFAULT_IDENTITY_POLICY }));

/** Masked identity as shown after verification. */
interface MaskedView {
  name: string;
  idNumber: string;
  phone: string;
  verifiedAt: string;
}

/** Identity verification: name, ID number, phone, the lender's evidence path, separate consent; masked data afterwards. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    retryable: true,
    verified: false,
    masked: null as MaskedView | null,
    verifier: 'ocr_phone' as IdentityVerifierKind,
    noticeText: SENSITIVE_INFO_NOTICE_TEXT,
    noticeVersion: '',
    noticeConsented: false,
    agreeNotice: false,
    attemptsLeft: 0,
    name: '',
    nameError: '',
    idNumber: '',
    idError: '',
    phoneReady: false,
    photoReady: false,
    submitting: false,
    submitError: '',
    /** Set when the lender verifies by face and this WeChat cannot (no `wx.requestFacialVerify`). */
    clientTooOld: '',
    /** The refusal promises help (联系客服): offer it right there. */
    needsHelp: false,
    labels: ACTION_LABELS,
  },
  methods: {
    onLoad() {
      void this.refresh();
    },
    async refresh() {
      this.setData({ load: 'loading', error: '' });
      try {
        this.show(await getIdentityStatus());
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
      }
    },
    show(status: IdentityStatus) {
      const own = privateOf(this);
      own.notice = { version: status.notice.version, sha256: status.notice.sha256 };
      own.policy = status.policy;
      own.photoDir = status.idCardPhotoDir;
      const identity = status.identity;
      this.setData({
        load: 'ready',
        verified: status.verified,
        masked: identity
          ? {
              name: identity.maskedName,
              idNumber: identity.maskedIdNumber,
              phone: identity.maskedPhone,
              verifiedAt: dateTime(identity.verifiedAt),
            }
          : null,
        verifier: status.verifier,
        clientTooOld:
          status.verifier === 'face' && !clientSupports('requestFacialVerify')
            ? clientTooOldMessage('进行人脸核身')
            : '',
        noticeVersion: status.notice.version,
        noticeConsented: status.notice.consented,
        agreeNotice: status.notice.consented,
        attemptsLeft: status.attemptsLeftToday,
        ...(status.verified ? { name: '', idNumber: '' } : {}),
      });
    },
    onNameInput(event: { detail: string }) {
      const value = event.detail;
      const checked = validatePersonName(value);
      this.setData({ name: value, nameError: checked.ok || value === '' ? '' : checked.message });
    },
    onIdInput(event: { detail: string }) {
      const value = event.detail;
      const checked = validateIdNumber(value, deviceNow(), privateOf(this).policy);
      const stillTyping = !checked.ok && checked.code === 'ID_LENGTH' && value.trim().length < 18;
      this.setData({
        idNumber: value,
        idError: checked.ok || stillTyping || value === '' ? '' : checked.message,
      });
    },
    onPhoneNumber(event: { detail: { code?: string; errMsg?: string } }) {
      const code = event.detail.code;
      if (!code) {
        this.setData({ phoneReady: false, submitError: '需要授权手机号才能完成实名认证' });
        return;
      }
      privateOf(this).phoneCode = code;
      this.setData({ phoneReady: true, submitError: '' });
    },
    async onTakePhoto() {
      const image = await pickIdCardPhoto();
      if (image) privateOf(this).idCardPhoto = image;
      this.setData({ photoReady: Boolean(image) });
    },
    onToggleNotice(event: { detail: boolean }) {
      if (!this.data.noticeConsented) this.setData({ agreeNotice: event.detail });
    },
    onApply() {
      go(ROUTES.apply);
    },
    /** First problem with the form, or '' when it can be sent. */
    problem(): string {
      const own = privateOf(this);
      const name = validatePersonName(this.data.name);
      if (!name.ok) return name.message;
      const id = validateIdNumber(this.data.idNumber, deviceNow(), own.policy);
      if (!id.ok) return id.message;
      if (!own.phoneCode) return '请点击“获取手机号”授权手机号';
      if (this.data.verifier === 'ocr_phone' && !own.idCardPhoto) return '请拍摄身份证人像面';
      if (!this.data.agreeNotice) return '请先阅读并同意《敏感个人信息处理单独告知》';
      return this.data.clientTooOld;
    },
    /** Face verification: the server opens the session for the typed identity, WeChat runs it on the device. */
    async runFace(): Promise<string> {
      const session = await startFaceVerification({ name: this.data.name, idNumber: this.data.idNumber });
      if (!(await runFacialVerify(session.verifyId)))
        throw new ServiceError('FACE_NOT_FINISHED', '人脸核身未完成，请重新提交并按提示完成核身');
      return session.verifyId;
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const problem = this.problem();
      if (problem) {
        this.setData({ submitError: problem });
        return;
      }
      const own = privateOf(this);
      this.setData({ submitting: true, submitError: '', needsHelp: false });
      try {
        if (!this.data.noticeConsented && own.notice) {
          await consentToNotice(own.notice);
          this.setData({ noticeConsented: true });
        }
        let faceVerifyId: string | undefined;
        if (this.data.verifier === 'face') faceVerifyId = await this.runFace();
        // The photo goes to cloud storage; the call carries only its fileID (the server deletes it after).
        const photo = this.data.verifier === 'ocr_phone' ? own.idCardPhoto : undefined;
        const idCardFileId = photo
          ? await uploadToCloud(
              `${own.photoDir ?? ''}/${randomToken()}.${photo.extension}`,
              photo.tempFilePath,
            )
          : undefined;
        const status = await verifyIdentity({
          name: this.data.name,
          idNumber: this.data.idNumber,
          phoneCode: own.phoneCode ?? '',
          ...(faceVerifyId ? { faceVerifyId } : {}),
          ...(idCardFileId ? { idCardFileId } : {}),
        });
        own.phoneCode = undefined;
        own.idCardPhoto = undefined;
        this.show(status);
      } catch (error) {
        // The phone code is single use: whatever happened, the borrower must tap the button again.
        own.phoneCode = undefined;
        this.setData({
          submitError: messageOf(error),
          needsHelp: promisesHelp(messageOf(error)),
          phoneReady: false,
        });
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
