// Publish staged actors: drop the marker that hides them from every read.
UNWIND $ids AS id
MATCH (a:Actor {id: id})
WHERE a.staged = $import_id
REMOVE a.staged
RETURN count(a) AS published
