// The next audit sequence number (the counter node stays locked until the transaction ends, so
// appends are serial) and the hash of the entry before it, to chain the new entry to.
MERGE (c:Sequence {name: 'audit'})
ON CREATE SET c.value = 0
SET c.value = c.value + 1
WITH c
OPTIONAL MATCH (p:AuditEntry {seq: c.value - 1})
RETURN c.value AS seq, p.hash AS prev
