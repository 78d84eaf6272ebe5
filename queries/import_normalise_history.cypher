// After publishing: drop the import's marker from its history, 10,000 per committed transaction
// (auto-commit statement). They are visible with or without it; without, reads need no lookup.
MATCH (i:Import {id: $id})
WHERE i.state = 'published'
MATCH (h:HistoryEntry)
WHERE h.staged = i.id
CALL (h) { REMOVE h.staged } IN TRANSACTIONS OF 10000 ROWS
