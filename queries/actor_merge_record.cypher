// Remember that $gone_id was merged into $keep_id (and what was merged into $gone_id follows).
OPTIONAL MATCH (earlier:ActorMerge {into_id: $gone_id})
SET earlier.into_id = $keep_id
WITH count(*) AS _
MERGE (m:ActorMerge {merged_id: $gone_id})
SET m.into_id = $keep_id, m.at = $at, m.by = $by
RETURN count(m) AS written
