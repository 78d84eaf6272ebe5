// Restore sync sources exactly.
UNWIND $rows AS row
CREATE (s:SyncSource)
SET s = row
