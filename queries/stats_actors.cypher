// Live actors per kind.
MATCH (a:Actor)
WHERE a.deleted_at IS NULL AND (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' })
RETURN a.kind AS key, count(*) AS n
ORDER BY key
