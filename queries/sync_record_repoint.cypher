// A merged actor's sync record of one source now names the actor it was merged into.
MATCH (r:SyncRecord {source: $source, entity_type: 'actor', entity_id: $from_id})
SET r.entity_id = $to_id
RETURN count(r) AS written
