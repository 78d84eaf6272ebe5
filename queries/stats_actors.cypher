// Live actors per kind.
MATCH (a:Actor)
WHERE a.deleted_at IS NULL AND a.staged IS NULL
RETURN a.kind AS key, count(*) AS n
ORDER BY key
