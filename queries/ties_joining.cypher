// Live ties joining (source_id, target_id, type) triples; a mutual tie matches either way round.
UNWIND $triples AS triple
MATCH (a:Actor {id: triple[0]})-[r:TIE]-(b:Actor {id: triple[1]})
WHERE r.type = triple[2] AND r.deleted_at IS NULL AND (startNode(r) = a OR NOT r.directed)
  AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
WITH DISTINCT r
RETURN r {.*, source_id: startNode(r).id, target_id: endNode(r).id} AS tie
ORDER BY r.id
