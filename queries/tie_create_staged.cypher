// Create new ties of a staged import, hidden by `staged: $staged` until it is published. Rows are
// lists in the order of neo4j.STAGED_TIE_COLUMNS (the ends' ids first).
UNWIND $rows AS row
MATCH (s:Actor {id: row[0]})
MATCH (t:Actor {id: row[1]})
CREATE (s)-[r:TIE {id: row[2], type: row[3], label: row[4], directed: row[5], strength: row[6], since: row[7], until: row[8], last_contact: row[9], source: row[10], description: row[11], attributes: row[12], created_at: row[13], created_by: row[14], updated_at: row[15], updated_by: row[16], deleted_at: row[17], staged: $staged}]->(t)
RETURN count(r) AS written
