// A new API token of an existing user (only the hash of the secret is stored).
MATCH (u:User {id: $user_id})
CREATE (t:ApiToken)
SET t = $props
RETURN t {.*} AS token
