// The store's revision: the last history sequence number (0 when nothing was ever written).
OPTIONAL MATCH (c:Sequence {name: 'history'})
RETURN coalesce(c.value, 0) AS revision
