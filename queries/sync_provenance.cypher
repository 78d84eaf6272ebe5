// The sync records of one actor or tie in every source, oldest first (SyncStore.provenance).
MATCH (r:SyncRecord {entity_id: $entity_id})
RETURN r {.*} AS record
ORDER BY r.first_seen_at, r.source
