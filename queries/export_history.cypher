// Whole-store dump: every history entry by sequence.
MATCH (h:HistoryEntry)
RETURN h {.*} AS entry
ORDER BY h.seq
