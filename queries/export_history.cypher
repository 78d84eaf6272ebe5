// Whole-store dump: every history entry by sequence.
MATCH (h:HistoryEntry)
WHERE h.staged IS NULL
RETURN h {.*} AS entry
ORDER BY h.seq
