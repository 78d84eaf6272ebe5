// Every actor (deleted too) as import matching needs it (SyncStore.actor_index), by id: folded
// names, contact details (emails are picked in Python), folded names of the live works_for /
// member_of targets, the actor it was merged into, the sync sources that had it.
MATCH (a:Actor)
WHERE (a.staged IS NULL OR EXISTS { MATCH (imp:Import {id: a.staged}) WHERE imp.state = 'published' })
RETURN a.id AS id, a.name AS name, a.kind AS kind, a.aliases AS aliases, a.name_folded AS name_folded,
       a.aliases_folded AS aliases_folded, a.contact_details AS contact_details, a.deleted_at AS deleted_at,
       COLLECT { MATCH (a)-[r:TIE]->(o:Actor)
                 WHERE r.deleted_at IS NULL AND r.type IN ['works_for', 'member_of']
                   AND (r.staged IS NULL OR EXISTS { MATCH (imp:Import {id: r.staged}) WHERE imp.state = 'published' })
                 RETURN o.name_folded } AS orgs,
       COLLECT { MATCH (m:ActorMerge {merged_id: a.id}) RETURN m.into_id } AS merged_into,
       COLLECT { MATCH (s:SyncRecord {entity_type: 'actor', entity_id: a.id}) RETURN s.source } AS sources
ORDER BY a.id
