// After publishing: drop the import's marker from its ties, 10,000 per committed transaction
// (auto-commit statement). They are visible with or without it; without, reads need no lookup.
MATCH (i:Import {id: $id})
WHERE i.state = 'published'
MATCH ()-[r:TIE]->()
WHERE r.staged = i.id
CALL (r) { REMOVE r.staged } IN TRANSACTIONS OF 10000 ROWS
