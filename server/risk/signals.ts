import { createHash } from 'node:crypto';
import type { StoredDoc, TxDocs, DocStore } from '../audit/doc-store';
import { beijingDay } from '../loan/days';

/** Distinct openids and identities seen on one device (by fingerprint hash). */
export const DEVICE_LINKS = 'riskDeviceLinks';
/** Distinct openids applying from one IP (hashed) on one day. */
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
  const id = linkId('ip', link.clientIp, link.at);
  const ip = (await tx.get<LinkDoc>(IP_LINKS, id)) ?? { _id: id, openids: [], idHashes: [] };
  await tx.put(IP_LINKS, {
    ...ip,
    openids: addUnique(ip.openids, link.openid),
    idHashes: addUnique(ip.idHashes, link.idHash),
  });
}

/** The velocity counts the scorecard's fraud signals read. */
export async function readLinks(
  store: DocStore,
  query: { deviceHash: string; clientIp: string | null; at: number },
): Promise<{ deviceOpenids: number; deviceIdentities: number; ipOpenidsPerDay: number }> {
  const device = await store.get<LinkDoc>(DEVICE_LINKS, query.deviceHash);
  const ip = query.clientIp
    ? await store.get<LinkDoc>(IP_LINKS, linkId('ip', query.clientIp, query.at))
    : undefined;
  return {
    deviceOpenids: device?.openids.length ?? 0,
    deviceIdentities: device?.idHashes.length ?? 0,
    ipOpenidsPerDay: ip?.openids.length ?? 0,
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
