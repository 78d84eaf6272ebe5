// Move a sequence counter up to at least $value (after a restore), never down.
MERGE (c:Sequence {name: $name})
ON CREATE SET c.value = 0
SET c.value = CASE WHEN c.value > $value THEN c.value ELSE $value END
RETURN c.value AS value
