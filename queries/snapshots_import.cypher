// Restore analytics snapshots exactly, ids included (metrics as a JSON string).
UNWIND $rows AS row
CREATE (s:AnalyticsSnapshot)
SET s = row
