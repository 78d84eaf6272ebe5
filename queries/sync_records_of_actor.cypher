// The sync records of one actor in every source (merging re-points them).
MATCH (r:SyncRecord {entity_type: 'actor', entity_id: $id})
RETURN r {.*} AS record
ORDER BY r.source
