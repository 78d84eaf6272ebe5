// Append one audit entry; its seq and hash come from audit_next in the same transaction
// (entries are never changed).
CREATE (e:AuditEntry)
SET e = $props
RETURN e.seq AS seq
