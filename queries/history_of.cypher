// History of one actor or tie, oldest first.
MATCH (h:HistoryEntry {entity_id: $entity_id})
WHERE (h.staged IS NULL OR EXISTS { MATCH (imp:Import {id: h.staged}) WHERE imp.state = 'published' })
RETURN h {.*} AS entry
ORDER BY h.seq
