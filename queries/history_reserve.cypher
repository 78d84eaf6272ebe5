// Reserve $n history sequence numbers; returns the last one (the first is last - n + 1).
MERGE (c:Sequence {name: 'history'})
ON CREATE SET c.value = 0
SET c.value = c.value + $n
RETURN c.value AS last
