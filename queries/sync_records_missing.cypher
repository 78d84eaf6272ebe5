// (entity_type, entity_id) of a source's records that were missing at its last sync.
MATCH (r:SyncRecord {source: $source})
WHERE r.missing_since IS NOT NULL
RETURN r.entity_type AS entity_type, r.entity_id AS entity_id
