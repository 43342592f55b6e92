import { createHash } from 'node:crypto';
import type { StoredDoc, TxDocs, DocStore } from '../storage/doc-store';
import { chinaDayKey } from '../../shared/china-date';

/** Distinct openids and identities seen on one device (by fingerprint hash). */
export const DEVICE_LINKS = 'riskDeviceLinks';
/**
 * One document per (IP hash, day, openid) that applied from it: borrowers behind one carrier NAT
 * never write the same document; the per-day count is a query on `ipDay`.
 */
export const IP_LINKS = 'riskIpLinks';

/** Most entries kept per link document, so one document never grows without bound. */
const MAX_LINKS = 50;

interface LinkDoc extends StoredDoc {
  openids: string[];
  idHashes: string[];
}

/** SHA-256 hex of a value: fingerprints and IPs are kept only hashed. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function linkId(kind: 'ip', value: string, at: number): string {
  return `${kind}-${sha256Hex(value).slice(0, 32)}-${chinaDayKey(at)}`;
}

function addUnique(list: string[], value: string): string[] {
  return list.includes(value) || list.length >= MAX_LINKS ? list : [...list, value];
}

/**
 * Records this application's device and IP inside the apply transaction; answers the device's
 * counts including this application.
 */
export async function recordLinks(
  tx: TxDocs,
  link: { deviceHash: string; clientIp: string | null; openid: string; idHash: string; at: number },
): Promise<{ deviceOpenids: number; deviceIdentities: number }> {
  const device = (await tx.get<LinkDoc>(DEVICE_LINKS, link.deviceHash)) ?? {
    _id: link.deviceHash,
    openids: [],
    idHashes: [],
  };
  const openids = addUnique(device.openids, link.openid);
  const idHashes = addUnique(device.idHashes, link.idHash);
  await tx.put(DEVICE_LINKS, { ...device, openids, idHashes });
  const counts = { deviceOpenids: openids.length, deviceIdentities: idHashes.length };
  if (!link.clientIp) return counts;
  const ipDay = linkId('ip', link.clientIp, link.at);
  // Idempotent put of this borrower's own link: nothing to read, nothing shared.
  await tx.put(IP_LINKS, {
    _id: `${ipDay}-${sha256Hex(link.openid).slice(0, 16)}`,
    ipDay,
    openid: link.openid,
    idHash: link.idHash,
  });
  return counts;
}

/** The openids that applied from `clientIp` on the China day of `at` (a query: outside transactions). */
export async function ipOpenidsOfDay(
  store: DocStore,
  clientIp: string | null,
  at: number,
): Promise<string[]> {
  if (!clientIp) return [];
  const links = await store.find<StoredDoc & { openid: string }>(
    IP_LINKS,
    { ipDay: linkId('ip', clientIp, at) },
    { limit: MAX_LINKS },
  );
  return links.map((l) => l.openid);
}

/** The velocity counts the scorecard's fraud signals read. */
export async function readLinks(
  store: DocStore,
  query: { deviceHash: string; clientIp: string | null; at: number },
): Promise<{ deviceOpenids: number; deviceIdentities: number; ipOpenidsPerDay: number }> {
  const [device, ip] = await Promise.all([
    store.get<LinkDoc>(DEVICE_LINKS, query.deviceHash),
    query.clientIp
      ? store.find(IP_LINKS, { ipDay: linkId('ip', query.clientIp, query.at) }, { limit: MAX_LINKS })
      : Promise.resolve([]),
  ]);
  return {
    deviceOpenids: device?.openids.length ?? 0,
    deviceIdentities: device?.idHashes.length ?? 0,
    ipOpenidsPerDay: ip.length,
  };
}

/** Every openid and identity recorded with this device or with this IP on the application's day. */
export async function linkedParties(
  store: DocStore,
  query: { deviceHash: string; clientIp: string | null; at: number },
): Promise<{ openids: string[]; idHashes: string[] }> {
  const [device, ip] = await Promise.all([
    store.get<LinkDoc>(DEVICE_LINKS, query.deviceHash),
    query.clientIp ? store.get<LinkDoc>(IP_LINKS, linkId('ip', query.clientIp, query.at)) : undefined,
  ]);
  return {
    openids: [...(device?.openids ?? []), ...(ip?.openids ?? [])],
    idHashes: [...(device?.idHashes ?? []), ...(ip?.idHashes ?? [])],
  };
}
