// History entries of a staged import, hidden by `staged: $staged` until it is published. Rows are
// lists in the order of neo4j.STAGED_HISTORY_COLUMNS.
UNWIND $rows AS row
CREATE (h:HistoryEntry {seq: row[0], entity_type: row[1], entity_id: row[2], action: row[3], at: row[4], by: row[5], before: row[6], after: row[7], staged: $staged})
RETURN count(h) AS written
