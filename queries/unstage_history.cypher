// Publish the staged history entries with sequence numbers $first..$last.
UNWIND range($first, $last) AS seq
MATCH (h:HistoryEntry {seq: seq})
WHERE h.staged = $import_id
REMOVE h.staged
RETURN count(h) AS published
