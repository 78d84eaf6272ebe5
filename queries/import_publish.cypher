// Make every row of a staged import visible at once (the read queries show rows whose import is
// 'published'); the caller holds the Import node's lock since import_touch in this transaction.
MATCH (i:Import {id: $id})
WHERE i.state = 'staging'
SET i.state = 'published', i.touched_at = $now
RETURN count(i) AS published
