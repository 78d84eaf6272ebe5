// Mark a staging import failed, so the next cleaner discards its rows without waiting for the lease.
MATCH (i:Import {id: $id})
WHERE i.state = 'staging'
SET i.state = 'failed', i.touched_at = $now
RETURN count(i) AS failed
