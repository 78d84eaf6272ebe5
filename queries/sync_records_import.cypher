// Restore sync records exactly (data as a JSON string).
UNWIND $rows AS row
CREATE (r:SyncRecord)
SET r = row
