// Protect actors or ties: one AccessEntry node per record (kept apart from the record so that
// edits and re-imports never drop it).
UNWIND $rows AS row
MERGE (e:AccessEntry {entity_id: row.entity_id})
SET e += row
