// Create new actors of a staged import; each row holds every property plus `staged` (a CREATE,
// not a MERGE: an id taken meanwhile fails on the uniqueness constraint).
UNWIND $rows AS row
CREATE (a:Actor)
SET a = row
RETURN count(a) AS written
