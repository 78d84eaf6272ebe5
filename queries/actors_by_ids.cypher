// Actors (deleted ones included) for a list of ids, ordered by id.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
RETURN a {.*} AS actor, (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' }) AS visible
ORDER BY a.id
