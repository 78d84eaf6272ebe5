// Records missing from every source that had them (SyncStore.inactive_ids).
MATCH (r:SyncRecord)
WITH r.entity_type AS entity_type, r.entity_id AS entity_id, count(*) AS sources, count(r.missing_since) AS missing
WHERE sources = missing
RETURN entity_type, entity_id
