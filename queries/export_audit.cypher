// Whole-store dump: every audit entry by sequence.
MATCH (e:AuditEntry)
RETURN e {.*} AS entry
ORDER BY e.seq
