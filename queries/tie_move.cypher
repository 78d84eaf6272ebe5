// Give a tie new ends (a relationship's ends are fixed: it is recreated with the same id and
// properties); props = every stored property of the tie after the move.
MATCH ()-[old:TIE {id: $id}]->()
DELETE old
WITH count(*) AS _
MATCH (s:Actor {id: $source_id})
MATCH (t:Actor {id: $target_id})
CREATE (s)-[r:TIE]->(t)
SET r = $props
RETURN count(r) AS written
