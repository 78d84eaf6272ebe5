// Delete the staged actors of a discarded import (auto-commit statement; their staged ties are
// gone already, DETACH only guards against a stray relationship).
MATCH (a:Actor)
WHERE a.staged = $id
CALL (a) { DETACH DELETE a } IN TRANSACTIONS OF 10000 ROWS
