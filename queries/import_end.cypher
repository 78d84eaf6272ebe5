// Forget a staged import once its rows are published and unmarked ($states ['published']) or
// discarded ($states ['failed', 'discarding']).
MATCH (i:Import {id: $id})
WHERE i.state IN $states
DELETE i
RETURN count(*) AS ended
