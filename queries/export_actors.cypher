// Whole-store dump: every actor, deleted ones included, by id.
MATCH (a:Actor)
WHERE (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' })
RETURN a {.*} AS actor
ORDER BY a.id
