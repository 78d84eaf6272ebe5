// All live actors for analytics (no contact details), by id.
MATCH (a:Actor)
WHERE a.deleted_at IS NULL AND (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' })
RETURN a.id AS id, a.name AS name, a.kind AS kind, a.tags AS tags, a.city AS city, a.country AS country
ORDER BY id
