// Keep a staging import's lease (every chunk transaction runs this first); 0 rows when a cleaner
// has claimed it meanwhile, so the import stops instead of writing orphans.
MATCH (i:Import {id: $id})
WHERE i.state = $state
SET i.touched_at = $now
RETURN count(i) AS alive
