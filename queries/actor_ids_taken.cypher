// Ids already used by $base or $base-<n>, to generate the next free slug id.
MATCH (a:Actor)
WHERE a.id = $base OR a.id STARTS WITH $prefix
RETURN a.id AS id
