-- Sensitive actors and ties: one access entry per protected record. It lives beside the record,
-- not in it, so that a re-import or an edit of the record can never drop the protection.
CREATE TABLE access (
    entity_id   TEXT PRIMARY KEY,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('actor', 'tie')),
    visible_to  TEXT NOT NULL DEFAULT '[]',
    set_at      TEXT NOT NULL,
    set_by      TEXT NOT NULL
);
