// Unprotect one record.
MATCH (e:AccessEntry {entity_id: $id})
DELETE e
