// Keep an analytics snapshot with the next snapshot id (ids only grow).
MERGE (c:Sequence {name: 'snapshot'})
ON CREATE SET c.value = 0
SET c.value = c.value + 1
CREATE (s:AnalyticsSnapshot)
SET s = $props, s.id = c.value
RETURN s.id AS id
