// list_ties without an actor: optional type filter, total before paging, one page by id.
MATCH (s:Actor)-[r:TIE]->(t:Actor)
WHERE (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
  AND ($include_deleted OR r.deleted_at IS NULL)
  AND ($type IS NULL OR r.type = $type)
  AND NOT (r.id IN $exclude OR s.id IN $exclude OR t.id IN $exclude)
WITH r, s, t
ORDER BY r.id
WITH collect(r {.*, source_id: s.id, target_id: t.id}) AS matched
RETURN size(matched) AS total, matched[$offset..($offset + $limit)] AS ties
