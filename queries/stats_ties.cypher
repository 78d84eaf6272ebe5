// Live ties per type.
MATCH ()-[r:TIE]->()
WHERE r.deleted_at IS NULL AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
RETURN r.type AS key, count(*) AS n
ORDER BY key
