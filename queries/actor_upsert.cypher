// Create or overwrite actors by id; each row holds every stored property (a null removes one).
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
SET a += row
RETURN count(a) AS written
