// Live ties per type.
MATCH ()-[r:TIE]->()
WHERE r.deleted_at IS NULL AND r.staged IS NULL
RETURN r.type AS key, count(*) AS n
ORDER BY key
