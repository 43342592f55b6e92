import type { OpenApiHandler } from './call';
import { ocrIdCard } from './ocr-idcard';
import { getPhoneNumber } from './phone-number';
import { getUserRiskRank } from './risk-rank';
import { msgSecCheck } from './sec-check';
import { sendSms } from './sms';
import { sendSubscribeMessage } from './subscribe-message';

/** Every cloud-call API the emulator fakes, by the name functions list in `permissions.openapi`. */
export const openApiHandlers: Record<string, OpenApiHandler> = {
  'subscribeMessage.send': sendSubscribeMessage,
  'cloudbase.sendSms': sendSms,
  'security.msgSecCheck': msgSecCheck,
  'ocr.idcard': ocrIdCard,
  'phonenumber.getPhoneNumber': getPhoneNumber,
  'riskControl.getUserRiskRank': getUserRiskRank,
};
