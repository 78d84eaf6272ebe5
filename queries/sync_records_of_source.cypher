// The sync records of one source (SyncStore.sync_records), by entity type and id.
MATCH (r:SyncRecord {source: $source})
RETURN r {.*} AS record
ORDER BY r.entity_type, r.entity_id
