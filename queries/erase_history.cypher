// Personal-data erasure: drop the before/after values of every history entry of one actor.
MATCH (h:HistoryEntry {entity_id: $entity_id})
WHERE (h.staged IS NULL OR EXISTS { MATCH (imp:Import {id: h.staged}) WHERE imp.state = 'published' })
SET h.before = null, h.after = null
RETURN count(h) AS erased
