// One tie by id, deleted or not, with the ids of its ends. (Ends unlabelled on purpose: with
// labels there the 5.26 planner scans the relationship index instead of seeking it.)
MATCH (s)-[r:TIE {id: $id}]->(t)
RETURN r {.*, source_id: s.id, target_id: t.id} AS tie, (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' }) AS visible
