// list_actors: filters (all optional), accent-insensitive substring search on the folded name and
// aliases, the total before paging, and one page. With $q: exact name first, then prefix, then
// the rest; always then by folded name and id (as the SQLite store orders).
MATCH (a:Actor)
WHERE (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' })
  AND ($include_deleted OR a.deleted_at IS NULL)
  AND NOT a.id IN $exclude
  AND ($kind IS NULL OR a.kind = $kind)
  AND ($tag IS NULL OR $tag IN a.tags)
  AND ($city IS NULL OR toLower(a.city) = toLower($city))
  AND ($q IS NULL OR a.name_folded CONTAINS $q OR any(alias IN a.aliases_folded WHERE alias CONTAINS $q))
WITH a
ORDER BY
  CASE WHEN $q IS NULL OR a.name_folded = $q THEN 0 WHEN a.name_folded STARTS WITH $q THEN 1 ELSE 2 END,
  a.name_folded,
  a.id
WITH collect(a) AS matched
RETURN size(matched) AS total, [x IN matched[$offset..($offset + $limit)] | x {.*}] AS actors
