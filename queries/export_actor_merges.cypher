// Whole-store dump: which actor was merged into which, by merged id.
MATCH (m:ActorMerge)
RETURN m {.*} AS merge
ORDER BY m.merged_id
