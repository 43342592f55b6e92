import { randomBytes } from 'node:crypto';

// Audit HMAC keys for tests that run the domain in-process; functions get theirs from the local backend.
process.env.WXLEND_AUDIT_KEYS ??= JSON.stringify({ 'test-audit-1': randomBytes(32).toString('base64') });
process.env.WXLEND_AUDIT_ACTIVE_KID ??= 'test-audit-1';
