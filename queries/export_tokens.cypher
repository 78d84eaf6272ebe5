// Whole-store dump: every API token (with its hash) by id.
MATCH (t:ApiToken)
RETURN t {.*} AS token
ORDER BY t.id
