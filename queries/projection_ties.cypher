// All live ties for analytics, by id.
MATCH (s:Actor)-[r:TIE]->(t:Actor)
WHERE r.deleted_at IS NULL AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
RETURN r.id AS id, s.id AS source_id, t.id AS target_id, r.type AS type, r.label AS label,
       r.directed AS directed, r.strength AS strength, r.last_contact AS last_contact,
       r.since AS since, r.until AS until
ORDER BY id
