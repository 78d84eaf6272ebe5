// One actor by id, deleted or not (the caller hides deleted ones).
MATCH (a:Actor {id: $id})
RETURN a {.*} AS actor
