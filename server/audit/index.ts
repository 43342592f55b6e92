/** The audit log: per-subject chains appended inside transactions, refusals, seals, verification. */
export {
  appendAudit,
  recordAudit,
  recordRefusal,
  AUDIT_COLLECTION,
  AUDIT_HEAD_COLLECTION,
  AUDIT_REFUSALS,
} from './audit-log';
export { sealAudit, AUDIT_SEALS } from './seal';
export { verifyAudit, verifyAudit as verifyChain, type AuditVerdict } from './verify';
export type { AuditEntry, AuditRecord, ActorType } from './chain';
export type { DocStore, TxDocs, StoredDoc } from '../storage/doc-store';
export { SdkDocStore } from '../storage/sdk-store';
