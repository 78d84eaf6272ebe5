-- Tamper-evident audit log: each entry carries a SHA-256 over the previous entry's hash and its
-- own fields (a hash chain), so a changed, inserted or removed entry breaks every hash after it
-- (graph-service audit --verify). Entries written before this migration stay unchained.
ALTER TABLE audit_log ADD COLUMN hash TEXT;
-- Where the chain starts: entries after this sequence number must all carry a hash.
CREATE TABLE audit_chain (starts_after INTEGER NOT NULL);
INSERT INTO audit_chain SELECT coalesce(max(seq), 0) FROM audit_log;
