// One actor by id, deleted or not (the caller hides deleted ones).
MATCH (a:Actor {id: $id})
RETURN a {.*} AS actor, (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' }) AS visible
