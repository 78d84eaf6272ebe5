// Delete the staged actors of a discarded import (auto-commit statement; never for a published import; their staged ties are
// gone already, DETACH only guards against a stray relationship).
MATCH (i:Import {id: $id})
WHERE i.state IN ['failed', 'discarding']
MATCH (a:Actor)
WHERE a.staged = i.id
CALL (a) { DETACH DELETE a } IN TRANSACTIONS OF 10000 ROWS
