// Named constraints and indexes, created idempotently before any data (Neo4jStore.init_schema).
// Uniqueness constraints only, so the schema runs on Community, Enterprise and Aura.
CREATE CONSTRAINT actor_id_unique IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT tie_id_unique IF NOT EXISTS FOR ()-[r:TIE]-() REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT user_id_unique IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT user_username_key_unique IF NOT EXISTS FOR (u:User) REQUIRE u.username_key IS UNIQUE;
CREATE CONSTRAINT api_token_id_unique IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT api_token_hash_unique IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.token_hash IS UNIQUE;
CREATE CONSTRAINT history_seq_unique IF NOT EXISTS FOR (h:HistoryEntry) REQUIRE h.seq IS UNIQUE;
CREATE CONSTRAINT audit_seq_unique IF NOT EXISTS FOR (e:AuditEntry) REQUIRE e.seq IS UNIQUE;
CREATE CONSTRAINT analytics_snapshot_id_unique IF NOT EXISTS FOR (s:AnalyticsSnapshot) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT access_entity_id_unique IF NOT EXISTS FOR (e:AccessEntry) REQUIRE e.entity_id IS UNIQUE;
CREATE CONSTRAINT sequence_name_unique IF NOT EXISTS FOR (s:Sequence) REQUIRE s.name IS UNIQUE;
CREATE CONSTRAINT import_id_unique IF NOT EXISTS FOR (i:Import) REQUIRE i.id IS UNIQUE;
CREATE INDEX actor_name_folded IF NOT EXISTS FOR (a:Actor) ON (a.name_folded);
CREATE TEXT INDEX actor_name_folded_text IF NOT EXISTS FOR (a:Actor) ON (a.name_folded);
CREATE INDEX actor_kind IF NOT EXISTS FOR (a:Actor) ON (a.kind);
CREATE INDEX tie_type IF NOT EXISTS FOR ()-[r:TIE]-() ON (r.type);
CREATE INDEX history_entity_id IF NOT EXISTS FOR (h:HistoryEntry) ON (h.entity_id);
CREATE INDEX api_token_user_id IF NOT EXISTS FOR (t:ApiToken) ON (t.user_id);
CREATE INDEX audit_at IF NOT EXISTS FOR (e:AuditEntry) ON (e.at);
CREATE INDEX sync_record_entity_id IF NOT EXISTS FOR (r:SyncRecord) ON (r.entity_id);
CREATE INDEX sync_record_source IF NOT EXISTS FOR (r:SyncRecord) ON (r.source);
CREATE INDEX sync_source_name IF NOT EXISTS FOR (s:SyncSource) ON (s.name);
CREATE INDEX actor_merge_merged_id IF NOT EXISTS FOR (m:ActorMerge) ON (m.merged_id);
CREATE INDEX actor_merge_into_id IF NOT EXISTS FOR (m:ActorMerge) ON (m.into_id);
CALL db.awaitIndexes(300)
