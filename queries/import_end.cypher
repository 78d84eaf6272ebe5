// Forget a staged import once its rows are published or discarded.
MATCH (i:Import {id: $id})
DELETE i
RETURN count(*) AS ended
