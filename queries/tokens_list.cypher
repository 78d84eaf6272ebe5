// API tokens, newest first (all, or one user's when $user_id is given); the caller drops the hash.
MATCH (t:ApiToken)
WHERE $user_id IS NULL OR t.user_id = $user_id
RETURN t {.*} AS token
ORDER BY t.created_at DESC, t.id
