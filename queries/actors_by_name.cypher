// find_actors_by_name: live actors whose folded name or a folded alias equals $key, by id.
MATCH (a:Actor)
WHERE a.deleted_at IS NULL AND (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' }) AND (a.name_folded = $key OR $key IN a.aliases_folded)
  AND NOT a.id IN $exclude
RETURN a {.*} AS actor
ORDER BY a.id
