// Restore users exactly (row = every stored property, username_key included).
UNWIND $rows AS row
CREATE (u:User)
SET u = row
RETURN count(u) AS written
