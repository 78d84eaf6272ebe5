// Append history entries; row = {seq, entity_type, entity_id, action, at, by, before, after}.
UNWIND $rows AS row
CREATE (h:HistoryEntry)
SET h = row
RETURN count(h) AS written
