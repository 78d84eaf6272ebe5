// The live ties among a set of actors (the induced subgraph of an ego network), by id.
UNWIND $ids AS id
MATCH (s:Actor {id: id})-[r:TIE]->(t:Actor)
WHERE r.deleted_at IS NULL AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' }) AND t.id IN $ids AND NOT r.id IN $exclude
RETURN r {.*, source_id: s.id, target_id: t.id} AS tie
ORDER BY r.id
