// Delete the staged ties of a discarded import, committing every 10,000 (auto-commit statement; the
// scoped CALL needs Neo4j 5.23+).
MATCH ()-[r:TIE]->()
WHERE r.staged = $id
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
