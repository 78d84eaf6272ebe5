// Restore only goes into an empty store: no actors and no users.
RETURN COUNT { (a:Actor) WHERE (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' }) } + COUNT { (:User) } = 0 AS empty
