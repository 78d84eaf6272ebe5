// Create new actors of a staged import, hidden by `staged: $staged` until it is published. Rows
// are lists in the order of neo4j.STAGED_ACTOR_COLUMNS. A CREATE, not a MERGE: an id taken
// meanwhile fails on the uniqueness constraint.
UNWIND $rows AS row
CREATE (a:Actor {id: row[0], name: row[1], name_folded: row[2], aliases: row[3], aliases_folded: row[4], kind: row[5], description: row[6], tags: row[7], country: row[8], city: row[9], contact_details: row[10], attributes: row[11], source: row[12], created_at: row[13], created_by: row[14], updated_at: row[15], updated_by: row[16], deleted_at: row[17], staged: $staged})
RETURN count(a) AS written
