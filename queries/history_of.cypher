// History of one actor or tie, oldest first.
MATCH (h:HistoryEntry {entity_id: $entity_id})
RETURN h {.*} AS entry
ORDER BY h.seq
