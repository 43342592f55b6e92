import { createHash } from 'node:crypto';
import type { DocFilter, DocStore, StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc, RiskLinks } from '../borrowers/borrower-doc';
import { BORROWERS } from '../loan/application-doc';
import { chinaDayKey } from '../../shared/china-date';

/** Devices and IP-days kept per borrower (newest first), so one document never grows without bound. */
const MAX_DEVICES = 20;
const MAX_IP_DAYS = 10;
/** Most linked borrowers one query reads. */
const MAX_LINKED = 100;
/** Most holders of one identity read (sharing needs an operator's override per openid). */
const MAX_HOLDERS = 100;

/** SHA-256 hex of a value: fingerprints and IPs are kept only hashed. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Where one application came from: its device hash and, with an IP, the `<ip hash>-<China day>` key. */
export interface LinkQuery {
  deviceHash: string;
  clientIp: string | null;
  at: number;
}

/** The IP-day key of an IP on the China day of `at`. */
function ipDayOf(clientIp: string, at: number): string {
  return `${sha256Hex(clientIp).slice(0, 32)}-${chinaDayKey(at)}`;
}

/** A borrower as the link query answers it. */
type Linked = BorrowerDoc & StoredDoc;

/**
 * Every borrower who applied from this device or from this IP on that day, in one query on the
 * borrowers' own `riskLinks` (each borrower records links in their own document: two borrowers
 * never write a shared link document). Outside transactions.
 */
export async function linkedBorrowers(store: DocStore, query: LinkQuery): Promise<Linked[]> {
  return store.findAny<Linked>(BORROWERS, linkFilters(query), { limit: MAX_LINKED });
}

/** The conditions of the link query: this device, or this IP on that day. */
function linkFilters(query: LinkQuery): DocFilter[] {
  const filters: DocFilter[] = [{ 'riskLinks.devices': query.deviceHash }];
  if (query.clientIp) filters.push({ 'riskLinks.ipDays': ipDayOf(query.clientIp, query.at) });
  return filters;
}

/**
 * The borrower's own document and the other borrowers linked to this application, in the link query
 * itself (one call, no separate read of the borrower). Only when the answer was cut at its limit and
 * the borrower is not in it is the borrower read by id.
 */
export async function borrowerAndLinked(
  store: DocStore,
  openid: string,
  query: LinkQuery,
): Promise<{ self: Linked | undefined; others: Linked[] }> {
  const limit = MAX_LINKED + 1;
  const found = await store.findAny<Linked>(BORROWERS, [{ _id: openid }, ...linkFilters(query)], { limit });
  const self =
    found.find((b) => b._id === openid) ??
    (found.length >= limit ? await store.get<Linked>(BORROWERS, openid) : undefined);
  return { self, others: found.filter((b) => b._id !== openid) };
}

/**
 * The other borrowers verified with the same identity (an ID number an operator let several openids
 * share, or one person's two WeChat accounts): one indexed query on `identity.idHash`.
 */
export async function coHolders(store: DocStore, openid: string, idHash: string): Promise<Linked[]> {
  const holders = await store.find<Linked>(BORROWERS, { 'identity.idHash': idHash }, { limit: MAX_HOLDERS });
  return holders.filter((b) => b._id !== openid);
}

/** The velocity counts the scorecard's fraud signals read, counting `self` as linked too. */
export function linkCounts(
  linked: Linked[],
  query: LinkQuery,
  self?: { openid: string; idHash: string },
): { deviceOpenids: number; deviceIdentities: number; ipOpenidsPerDay: number } {
  const ipDay = query.clientIp ? ipDayOf(query.clientIp, query.at) : undefined;
  const onDevice = linked.filter((b) => b.riskLinks?.devices.includes(query.deviceHash));
  const onIp = ipDay ? linked.filter((b) => b.riskLinks?.ipDays.includes(ipDay)) : [];
  const openids = new Set(onDevice.map((b) => b._id));
  const identities = new Set(onDevice.flatMap((b) => (b.identity ? [b.identity.idHash] : [])));
  const ipOpenids = new Set(onIp.map((b) => b._id));
  if (self) {
    openids.add(self.openid);
    identities.add(self.idHash);
    if (ipDay) ipOpenids.add(self.openid);
  }
  return { deviceOpenids: openids.size, deviceIdentities: identities.size, ipOpenidsPerDay: ipOpenids.size };
}

/** The borrower's links with this application's device and IP-day first (written with the application). */
export function withLinks(links: RiskLinks | undefined, query: LinkQuery): RiskLinks {
  const first = (list: string[], value: string | undefined, max: number): string[] =>
    value === undefined ? list.slice(0, max) : [value, ...list.filter((v) => v !== value)].slice(0, max);
  return {
    devices: first(links?.devices ?? [], query.deviceHash, MAX_DEVICES),
    ipDays: first(
      links?.ipDays ?? [],
      query.clientIp ? ipDayOf(query.clientIp, query.at) : undefined,
      MAX_IP_DAYS,
    ),
  };
}

/** The velocity counts of an application already recorded (the review path): one query. */
export async function readLinks(
  store: DocStore,
  query: LinkQuery,
): Promise<{ deviceOpenids: number; deviceIdentities: number; ipOpenidsPerDay: number }> {
  return linkCounts(await linkedBorrowers(store, query), query);
}

/** Every openid and identity recorded with this device or with this IP on the application's day. */
export async function linkedParties(
  store: DocStore,
  query: LinkQuery,
): Promise<{ openids: string[]; idHashes: string[] }> {
  const linked = await linkedBorrowers(store, query);
  return {
    openids: linked.map((b) => b._id),
    idHashes: linked.flatMap((b) => (b.identity ? [b.identity.idHash] : [])),
  };
}
