// Restore only goes into an empty store: no actors and no users.
RETURN COUNT { (:Actor) } + COUNT { (:User) } = 0 AS empty
