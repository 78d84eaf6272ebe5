// Whole-store dump: every history entry by sequence.
MATCH (h:HistoryEntry)
WHERE (h.staged IS NULL OR EXISTS { MATCH (imp:Import {id: h.staged}) WHERE imp.state = 'published' })
RETURN h {.*} AS entry
ORDER BY h.seq
