// Whole-store dump: every actor, deleted ones included, by id.
MATCH (a:Actor)
WHERE a.staged IS NULL
RETURN a {.*} AS actor
ORDER BY a.id
