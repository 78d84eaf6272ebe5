// Restore the record of merged actors exactly.
UNWIND $rows AS row
CREATE (m:ActorMerge)
SET m = row
