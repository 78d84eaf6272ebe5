// Create ties between existing actors; row = {source_id, target_id, props}.
UNWIND $rows AS row
MATCH (s:Actor {id: row.source_id})
MATCH (t:Actor {id: row.target_id})
CREATE (s)-[r:TIE]->(t)
SET r = row.props
RETURN count(r) AS written
