// Published imports whose process died before dropping their markers (lease ran out): take them
// over (their rows stay visible; only the markers go).
MATCH (i:Import)
WHERE i.state = 'published' AND i.touched_at < $cutoff
SET i.touched_at = $now
RETURN i.id AS id
