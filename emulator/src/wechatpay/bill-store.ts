import type Database from 'better-sqlite3';
import type { BillEvent, SandboxBill } from './bill-model';

/** SQLite persistence of the sandbox's bills and their history (tables prefixed `wechatpay_`). */
export class BillStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS wechatpay_bills (
        mch_id TEXT NOT NULL, out_bill_no TEXT NOT NULL, package_info TEXT NOT NULL UNIQUE,
        doc TEXT NOT NULL, PRIMARY KEY (mch_id, out_bill_no));
      CREATE TABLE IF NOT EXISTS wechatpay_bill_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, mch_id TEXT NOT NULL, out_bill_no TEXT NOT NULL,
        at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS wechatpay_bill_events_bill ON wechatpay_bill_events (mch_id, out_bill_no, id);
    `);
  }

  /** The bill with this out_bill_no, if any. */
  get(mchId: string, outBillNo: string): SandboxBill | undefined {
    const row = this.db
      .prepare('SELECT doc FROM wechatpay_bills WHERE mch_id = ? AND out_bill_no = ?')
      .get(mchId, outBillNo) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SandboxBill) : undefined;
  }

  /** The bill a package_info belongs to, if any. */
  byPackage(packageInfo: string): SandboxBill | undefined {
    const row = this.db.prepare('SELECT doc FROM wechatpay_bills WHERE package_info = ?').get(packageInfo) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SandboxBill) : undefined;
  }

  /** Inserts or replaces a bill. */
  save(bill: SandboxBill): void {
    this.db
      .prepare(
        `INSERT INTO wechatpay_bills (mch_id, out_bill_no, package_info, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (mch_id, out_bill_no) DO UPDATE SET doc = excluded.doc`,
      )
      .run(bill.mchId, bill.outBillNo, bill.packageInfo, JSON.stringify(bill));
  }

  /** Appends a history line. */
  record(bill: Pick<SandboxBill, 'mchId' | 'outBillNo'>, event: BillEvent): void {
    this.db
      .prepare(
        'INSERT INTO wechatpay_bill_events (mch_id, out_bill_no, at, kind, detail) VALUES (?, ?, ?, ?, ?)',
      )
      .run(bill.mchId, bill.outBillNo, event.at, event.kind, JSON.stringify(event.detail));
  }

  /** A bill's history, oldest first. */
  history(mchId: string, outBillNo: string): BillEvent[] {
    const rows = this.db
      .prepare(
        'SELECT at, kind, detail FROM wechatpay_bill_events WHERE mch_id = ? AND out_bill_no = ? ORDER BY id',
      )
      .all(mchId, outBillNo) as Array<{ at: number; kind: BillEvent['kind']; detail: string }>;
    return rows.map((row) => ({
      at: row.at,
      kind: row.kind,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
  }

  /** Every bill, newest first. */
  all(): SandboxBill[] {
    const rows = this.db.prepare('SELECT doc FROM wechatpay_bills ORDER BY rowid DESC').all() as Array<{
      doc: string;
    }>;
    return rows.map((row) => JSON.parse(row.doc) as SandboxBill);
  }

  /** Runs `work` as one SQLite transaction: a state, its history and its notification land together or not at all. */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Drops every bill and history line. */
  clear(): void {
    this.db.exec('DELETE FROM wechatpay_bills; DELETE FROM wechatpay_bill_events;');
  }
}
