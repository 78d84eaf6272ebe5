// Count one more sync of a source (created on its first); its lock serialises syncs of one source.
MERGE (s:SyncSource {name: $name})
ON CREATE SET s.first_sync_at = $at, s.syncs = 0
SET s.format = $format, s.files = $files, s.last_sync_at = $at, s.last_sync_by = $by, s.syncs = s.syncs + 1
RETURN s.syncs AS syncs
