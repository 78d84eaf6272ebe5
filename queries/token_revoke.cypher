// Revoke a token once (a revoked token keeps its first revocation time).
MATCH (t:ApiToken {id: $id})
WHERE t.revoked_at IS NULL
SET t.revoked_at = $now
RETURN count(t) AS revoked
