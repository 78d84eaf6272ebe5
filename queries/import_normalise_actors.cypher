// After publishing: drop the import's marker from its actors, 10,000 per committed transaction
// (auto-commit statement). They are visible with or without it; without, reads need no lookup.
MATCH (i:Import {id: $id})
WHERE i.state = 'published'
MATCH (a:Actor)
WHERE a.staged = i.id
CALL (a) { REMOVE a.staged } IN TRANSACTIONS OF 10000 ROWS
