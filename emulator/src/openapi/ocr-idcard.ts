import { createHash } from 'node:crypto';
import { stringParam, type OpenApiCall } from './call';
import type { IdCardImage } from './state';
import { invalidArgument, WxApiError } from './wx-error';

/** ocr.idcard refuses images of 2 MB or more. */
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** sha256 of image bytes: how registered images are recognised. */
export function imageHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `ocr.idcard`: recognises only images registered through `POST /_user/ocr-image` (TEST-DATA.md). */
export function ocrIdCard(call: OpenApiCall): Record<string, unknown> {
  const type = stringParam(call, 'type') ?? 'photo';
  if (type !== 'photo' && type !== 'scan') throw invalidArgument('type must be photo or scan');
  const url = stringParam(call, 'img_url');
  const media = call.media.get('img');
  let card: IdCardImage | undefined;
  if (media) {
    if (media.value.length === 0 || media.value.length >= MAX_IMAGE_BYTES)
      throw new WxApiError(101000, 'invalid image url or image data');
    card = call.state.imagesByHash.get(imageHash(media.value));
  } else if (url) {
    card = call.state.imagesByUrl.get(url);
  } else {
    throw new WxApiError(101000, 'invalid image url or image data');
  }
  if (!card) throw new WxApiError(101001, 'certificate not found');
  if (card.side === 'Back') return { type: 'Back', valid_date: card.validDate ?? '' };
  return {
    type: 'Front',
    name: card.name ?? '',
    id: card.id ?? '',
    addr: card.addr ?? '',
    gender: card.gender ?? '',
    nationality: card.nationality ?? '',
  };
}
