// Another live tie of $type from $source_id to $target_id (or a mutual one the other way round).
MATCH (a:Actor {id: $source_id})-[r:TIE]-(b:Actor {id: $target_id})
WHERE r.type = $type AND r.id <> $id AND r.deleted_at IS NULL AND (startNode(r) = a OR NOT r.directed)
  AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
RETURN r.id AS id
LIMIT 1
