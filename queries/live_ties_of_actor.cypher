// Live ties touching an actor (to soft-delete them with it), by id.
MATCH (:Actor {id: $actor_id})-[r:TIE]-(:Actor)
WHERE r.deleted_at IS NULL AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
WITH DISTINCT r
RETURN r {.*, source_id: startNode(r).id, target_id: endNode(r).id} AS tie
ORDER BY r.id
