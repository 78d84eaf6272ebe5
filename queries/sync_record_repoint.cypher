// A merged actor's sync record of one source now names the actor it was merged into.
MATCH (r:SyncRecord {entity_id: $from_id})
USING INDEX r:SyncRecord(entity_id)
WHERE r.source = $source AND r.entity_type = 'actor'
SET r.entity_id = $to_id
RETURN count(r) AS written
