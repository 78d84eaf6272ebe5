// Audit entries newest first, optionally from $since (ISO time) and of one $action; total and a page.
MATCH (e:AuditEntry)
WHERE ($since IS NULL OR e.at >= $since)
  AND ($action IS NULL OR e.action = $action)
WITH e
ORDER BY e.seq DESC
WITH collect(e {.*}) AS matched
RETURN size(matched) AS total, matched[$offset..($offset + $limit)] AS entries
