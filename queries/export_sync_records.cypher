// Whole-store dump: sync records by source, entity type and id.
MATCH (r:SyncRecord)
RETURN r {.*} AS record
ORDER BY r.source, r.entity_type, r.entity_id
