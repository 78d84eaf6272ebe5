// A user by name, case-insensitively (username_key).
MATCH (u:User {username_key: $key})
RETURN u {.*} AS user
