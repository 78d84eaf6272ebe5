// One breadth-first level for ego networks and shortest paths: (from, to) id pairs over live
// ties touching $ids, each tie usable in either direction.
UNWIND $ids AS id
MATCH (:Actor {id: id})-[r:TIE]-(other:Actor)
WHERE r.deleted_at IS NULL AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
  AND NOT r.id IN $exclude AND NOT other.id IN $exclude
RETURN id AS from_id, other.id AS to_id
