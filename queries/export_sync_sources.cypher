// Whole-store dump: sync sources by name (kept by restores of SQLite dumps).
MATCH (s:SyncSource)
RETURN s {.*} AS source
ORDER BY s.name
