// Delete the staged history entries of a discarded import (auto-commit statement; never for a published import).
MATCH (i:Import {id: $id})
WHERE i.state IN ['failed', 'discarding']
MATCH (h:HistoryEntry)
WHERE h.staged = i.id
CALL (h) { DELETE h } IN TRANSACTIONS OF 10000 ROWS
