// Whole-store dump: every user by id.
MATCH (u:User)
RETURN u {.*} AS user
ORDER BY u.id
