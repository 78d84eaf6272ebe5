// Erasing a person: their sync records keep only the source and dates, not what a row said.
MATCH (r:SyncRecord {entity_id: $entity_id})
SET r.data = '{}', r.file = null, r.sheet = null, r.row = null
RETURN count(r) AS erased
