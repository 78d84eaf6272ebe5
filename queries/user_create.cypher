// A new user; the unique username_key (ASCII case-folded name) refuses a duplicate name.
CREATE (u:User)
SET u = $props
RETURN u {.*} AS user
