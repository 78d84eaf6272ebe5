// Ties (deleted ones included) for a list of ids, with the ids of their ends. (Ends unlabelled on
// purpose: with labels there the 5.26 planner scans the relationship index for every id.)
MATCH (s)-[r:TIE]->(t)
WHERE r.id IN $ids
RETURN r {.*, source_id: s.id, target_id: t.id} AS tie, (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' }) AS visible
ORDER BY r.id
