// Mark records gone from a source since its last sync; returns those that were active until now.
UNWIND $rows AS row
MATCH (r:SyncRecord {entity_id: row.entity_id})
USING INDEX r:SyncRecord(entity_id)
WHERE r.source = $source AND r.entity_type = row.entity_type AND r.missing_since IS NULL
SET r.missing_since = $at
RETURN r.entity_type AS entity_type, r.entity_id AS entity_id
