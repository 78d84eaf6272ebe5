// Delete the staged ties of a failed import, 10,000 per committed transaction (auto-commit
// statement; never for a published import; the scoped CALL needs Neo4j 5.23+).
MATCH (i:Import {id: $id})
WHERE i.state IN ['failed', 'discarding']
MATCH ()-[r:TIE]->()
WHERE r.staged = i.id
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
