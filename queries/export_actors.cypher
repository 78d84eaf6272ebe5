// Whole-store dump: every actor, deleted ones included, by id.
MATCH (a:Actor)
RETURN a {.*} AS actor
ORDER BY a.id
