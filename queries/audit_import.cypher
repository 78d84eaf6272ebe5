// Restore audit entries exactly, sequence numbers included.
UNWIND $rows AS row
CREATE (e:AuditEntry)
SET e = row
RETURN count(e) AS written
