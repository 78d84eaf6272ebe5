// Record what a sync saw; row = {entity_type, entity_id, file, sheet, row, data (JSON)}, one per
// record (the caller drops repeats). first_seen_at stays from the first sync that saw it; a
// missing record is active again. The hint: a seek by source would scan all of its records per row.
UNWIND $rows AS row
OPTIONAL MATCH (old:SyncRecord {entity_id: row.entity_id})
USING INDEX old:SyncRecord(entity_id)
WHERE old.source = $source AND old.entity_type = row.entity_type
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |
  CREATE (:SyncRecord {source: $source, entity_type: row.entity_type, entity_id: row.entity_id, file: row.file,
                       sheet: row.sheet, row: row.row, first_seen_at: $at, last_seen_at: $at, last_seen_by: $by,
                       data: row.data}))
SET old.file = row.file, old.sheet = row.sheet, old.row = row.row, old.last_seen_at = $at, old.last_seen_by = $by,
    old.missing_since = null, old.data = row.data
RETURN count(*) AS written
