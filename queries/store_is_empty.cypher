// Restore only goes into an empty store: no actors and no users.
RETURN COUNT { (a:Actor) WHERE a.staged IS NULL } + COUNT { (:User) } = 0 AS empty
