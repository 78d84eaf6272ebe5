// All users by name, case-insensitively.
MATCH (u:User)
RETURN u {.*} AS user
ORDER BY u.username_key
