// Merge: the kept actor's record of a source takes the united data, the merged actor's goes.
MATCH (keep:SyncRecord {source: $source, entity_type: 'actor', entity_id: $keep_id})
MATCH (gone:SyncRecord {source: $source, entity_type: 'actor', entity_id: $gone_id})
SET keep.data = $data
DELETE gone
RETURN count(keep) AS written
