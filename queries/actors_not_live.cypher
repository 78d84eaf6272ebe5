// The ids among $ids with no live, visible actor (a tie may not end there).
UNWIND $ids AS id
OPTIONAL MATCH (a:Actor {id: id})
WITH id, a
WHERE a IS NULL OR a.deleted_at IS NOT NULL
   OR (a.staged IS NOT NULL AND NOT EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' })
RETURN id
