// Restore API tokens exactly.
UNWIND $rows AS row
CREATE (t:ApiToken)
SET t = row
RETURN count(t) AS written
