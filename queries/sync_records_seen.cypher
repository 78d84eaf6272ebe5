// Record what a sync saw; row = {entity_type, entity_id, file, sheet, row, data (JSON)}.
// first_seen_at stays from the first sync that saw it; a missing record is active again.
UNWIND $rows AS row
MERGE (r:SyncRecord {source: $source, entity_type: row.entity_type, entity_id: row.entity_id})
ON CREATE SET r.first_seen_at = $at
SET r.file = row.file, r.sheet = row.sheet, r.row = row.row, r.last_seen_at = $at, r.last_seen_by = $by,
    r.missing_since = null, r.data = row.data
RETURN count(r) AS written
