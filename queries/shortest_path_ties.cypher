// The live ties joining consecutive actors of a shortest path; $pairs = [[a, b], ...], either direction.
UNWIND $pairs AS pair
MATCH (a:Actor {id: pair[0]})-[r:TIE]-(b:Actor {id: pair[1]})
WHERE r.deleted_at IS NULL AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' }) AND NOT r.id IN $exclude
RETURN pair[0] AS a_id, pair[1] AS b_id, r {.*, source_id: startNode(r).id, target_id: endNode(r).id} AS tie
