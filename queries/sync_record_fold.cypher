// Merge: the kept actor's record of a source takes the united data, the merged actor's goes.
MATCH (keep:SyncRecord {entity_id: $keep_id})
USING INDEX keep:SyncRecord(entity_id)
WHERE keep.source = $source AND keep.entity_type = 'actor'
MATCH (gone:SyncRecord {entity_id: $gone_id})
USING INDEX gone:SyncRecord(entity_id)
WHERE gone.source = $source AND gone.entity_type = 'actor'
SET keep.data = $data
DELETE gone
RETURN count(keep) AS written
