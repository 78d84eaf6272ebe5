MATCH (t:ApiToken {token_hash: $token_hash})
RETURN t {.*} AS token
