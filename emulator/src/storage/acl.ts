import fs from 'node:fs';
import { z } from 'zod';

/**
 * CloudBase's basic storage permissions: READONLY (everyone reads, creator and admin write), PRIVATE
 * (creator and admin read and write), ADMINWRITE (everyone reads, admin writes), ADMINONLY.
 */
export const STORAGE_PERMISSIONS = ['READONLY', 'PRIVATE', 'ADMINWRITE', 'ADMINONLY'] as const;

/** One of the basic permissions. */
export type StoragePermission = (typeof STORAGE_PERMISSIONS)[number];

/** What a file undeclared in cloudbase/storage.json gets. */
export const DEFAULT_STORAGE_PERMISSION: StoragePermission = 'PRIVATE';

/** Who asks: a cloud function or the console (admin, never bound by the rules) or a mini-program user. */
export type StorageCaller = { kind: 'admin' } | { kind: 'user'; openid: string };

const storageFileSchema = z.object({
  rules: z
    .array(z.object({ prefix: z.string().min(1), permission: z.enum(STORAGE_PERMISSIONS) }))
    .default([]),
});

/** A declared prefix and its permission. */
export interface StorageRule {
  prefix: string;
  permission: StoragePermission;
}

/** Reads and validates cloudbase/storage.json; a missing file declares nothing (everything PRIVATE). */
export function readStorageRules(file: string): StorageRule[] {
  if (!fs.existsSync(file)) return [];
  const parsed = storageFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data.rules;
}

/** The permission a new file at `cloudPath` gets: the longest declared prefix, else the default. */
export function permissionFor(rules: StorageRule[], cloudPath: string): StoragePermission {
  let best: StorageRule | undefined;
  for (const rule of rules)
    if (cloudPath.startsWith(rule.prefix) && rule.prefix.length > (best?.prefix.length ?? -1)) best = rule;
  return best?.permission ?? DEFAULT_STORAGE_PERMISSION;
}

/** A stored file as the rules see it (`resource.openid` is its creator, absent for admin uploads). */
export interface RuledFile {
  permission: StoragePermission;
  ownerOpenid?: string;
}

/** Whether `caller` may read the file (temp URL, download). */
export function mayRead(caller: StorageCaller, file: RuledFile): boolean {
  if (caller.kind === 'admin') return true;
  if (file.permission === 'READONLY' || file.permission === 'ADMINWRITE') return true;
  return file.permission === 'PRIVATE' && file.ownerOpenid === caller.openid;
}

/**
 * Whether `caller` may write: create a file with `permission` at a free path (`existing` undefined), or
 * overwrite / delete `existing`.
 */
export function mayWrite(
  caller: StorageCaller,
  permission: StoragePermission,
  existing: RuledFile | undefined,
): boolean {
  if (caller.kind === 'admin') return true;
  const target = existing?.permission ?? permission;
  if (target !== 'READONLY' && target !== 'PRIVATE') return false;
  return existing === undefined || existing.ownerOpenid === caller.openid;
}
