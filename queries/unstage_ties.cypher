// Publish staged ties: drop the marker that hides them from every read.
UNWIND $ids AS id
MATCH ()-[r:TIE {id: id}]->()
WHERE r.staged = $import_id
REMOVE r.staged
RETURN count(r) AS published
