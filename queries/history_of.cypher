// History of one actor or tie, oldest first.
MATCH (h:HistoryEntry {entity_id: $entity_id})
WHERE h.staged IS NULL
RETURN h {.*} AS entry
ORDER BY h.seq
