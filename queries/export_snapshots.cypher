// Whole-store dump: analytics snapshots by id, metrics included.
MATCH (s:AnalyticsSnapshot)
RETURN s {.*} AS snapshot
ORDER BY s.id
