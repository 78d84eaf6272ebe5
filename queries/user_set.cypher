// Change password hash, role or disabled_at of a user (keys checked by the store).
MATCH (u:User {id: $id})
SET u += $changes
RETURN u {.*} AS user
