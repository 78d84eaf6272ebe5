// Open a staged batch import (Neo4jStore.apply_batch on large batches). Rows written under it
// carry `staged: $id` and stay invisible to every read until import_publish removes the marker.
CREATE (i:Import {id: $id, state: 'staging', by: $by, started_at: $now, touched_at: $now})
RETURN i.id AS id
