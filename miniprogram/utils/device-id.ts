import { randomToken } from './random-token';

const STORAGE_KEY = 'wxlend.deviceId';

/** A random id stored on this install (no hardware data); the server keeps only its hash as a fraud signal. */
export function deviceId(): string {
  const stored: unknown = wx.getStorageSync(STORAGE_KEY);
  if (typeof stored === 'string' && stored.length >= 8) return stored;
  const fresh = `d${randomToken()}`;
  wx.setStorageSync(STORAGE_KEY, fresh);
  return fresh;
}
