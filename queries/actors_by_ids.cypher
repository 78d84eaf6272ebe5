// Actors (deleted ones included) for a list of ids, ordered by id.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
RETURN a {.*} AS actor
ORDER BY a.id
