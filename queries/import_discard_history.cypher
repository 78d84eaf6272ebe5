// Delete the staged history entries of a discarded import (auto-commit statement).
MATCH (h:HistoryEntry)
WHERE h.staged = $id
CALL (h) { DELETE h } IN TRANSACTIONS OF 10000 ROWS
