// Every access entry (sensitive actors and ties), by entity id.
MATCH (e:AccessEntry)
RETURN e {.*} AS entry
ORDER BY e.entity_id
