// Whole-store dump: every tie, deleted ones included, by id.
MATCH (s)-[r:TIE]->(t)
WHERE (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
RETURN r {.*, source_id: s.id, target_id: t.id} AS tie
ORDER BY r.id
