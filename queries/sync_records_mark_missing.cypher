// Mark records gone from a source since its last sync; returns those that were active until now.
UNWIND $rows AS row
MATCH (r:SyncRecord {source: $source, entity_type: row.entity_type, entity_id: row.entity_id})
WHERE r.missing_since IS NULL
SET r.missing_since = $at
RETURN r.entity_type AS entity_type, r.entity_id AS entity_id
