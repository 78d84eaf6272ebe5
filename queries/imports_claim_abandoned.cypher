// Claim the imports to discard: failed ones, and staging/discarding ones whose lease ran out
// (their process died). The claim takes each Import node's write lock, so a publish and a
// cleaner never both win the same import.
MATCH (i:Import)
WHERE i.state = 'failed' OR (i.state IN ['staging', 'discarding'] AND i.touched_at < $cutoff)
SET i.state = 'discarding', i.touched_at = $now
RETURN i.id AS id
