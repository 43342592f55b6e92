import { createHash } from 'node:crypto';
import type { StoredDoc, TxDocs, DocStore } from '../audit/doc-store';
import { beijingDay } from '../loan/days';

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
  return `${kind}-${sha256Hex(value).slice(0, 32)}-${beijingDay(at)}`;
}

function addUnique(list: string[], value: string): string[] {
  return list.includes(value) || list.length >= MAX_LINKS ? list : [...list, value];
}

/** Records this application's device and IP inside the apply transaction. */
export async function recordLinks(
  tx: TxDocs,
  link: { deviceHash: string; clientIp: string | null; openid: string; idHash: string; at: number },
): Promise<void> {
  const device = (await tx.get<LinkDoc>(DEVICE_LINKS, link.deviceHash)) ?? {
    _id: link.deviceHash,
    openids: [],
    idHashes: [],
  };
  await tx.put(DEVICE_LINKS, {
    ...device,
    openids: addUnique(device.openids, link.openid),
    idHashes: addUnique(device.idHashes, link.idHash),
  });
  if (!link.clientIp) return;
  const ipDay = linkId('ip', link.clientIp, link.at);
  // Idempotent put of this borrower's own link: nothing to read, nothing shared.
  await tx.put(IP_LINKS, {
    _id: `${ipDay}-${sha256Hex(link.openid).slice(0, 16)}`,
    ipDay,
    openid: link.openid,
    idHash: link.idHash,
  });
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
