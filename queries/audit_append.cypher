// Append one audit entry with the next audit sequence number (entries are never changed).
MERGE (c:Sequence {name: 'audit'})
ON CREATE SET c.value = 0
SET c.value = c.value + 1
CREATE (e:AuditEntry)
SET e = $props, e.seq = c.value
RETURN e.seq AS seq
