/** The audit log: append inside a transaction, verify the whole chain. */
export { appendAudit, recordAudit, verifyChain, AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION } from './audit-log';
export type { AuditEntry, AuditRecord, ActorType, ChainVerdict } from './chain';
export type { DocStore, TxDocs, StoredDoc } from './doc-store';
export { SdkDocStore } from './sdk-store';
