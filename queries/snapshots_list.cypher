// Analytics snapshots newest first, without their metrics.
MATCH (s:AnalyticsSnapshot)
RETURN s.id AS id, s.name AS name, s.coordinator_id AS coordinator_id, s.taken_at AS taken_at,
       s.created_by AS created_by
ORDER BY s.id DESC
LIMIT $limit
