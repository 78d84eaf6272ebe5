// The access entry of one actor or tie, if it is protected.
MATCH (e:AccessEntry {entity_id: $id})
RETURN e {.*} AS entry
