// list_ties for one actor (either end): optional type filter, total before paging, one page by id.
MATCH (:Actor {id: $actor_id})-[r:TIE]-(:Actor)
WITH DISTINCT r
WHERE (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
  AND ($include_deleted OR r.deleted_at IS NULL)
  AND ($type IS NULL OR r.type = $type)
  AND NOT (r.id IN $exclude OR startNode(r).id IN $exclude OR endNode(r).id IN $exclude)
WITH r
ORDER BY r.id
WITH collect(r {.*, source_id: startNode(r).id, target_id: endNode(r).id}) AS matched
RETURN size(matched) AS total, matched[$offset..($offset + $limit)] AS ties
