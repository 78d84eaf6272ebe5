// One analytics snapshot with its metrics (a JSON string).
MATCH (s:AnalyticsSnapshot {id: $id})
RETURN s {.*} AS snapshot
