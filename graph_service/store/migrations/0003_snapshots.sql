-- Analytics snapshots: the coverage, single-point-of-failure, broker and stale-tie metrics of one
-- moment, kept so two dates can be compared ("since the spring, 3 communities lost their only
-- strong tie"). ``metrics`` is a JSON object written by graph_service.analytics.snapshots.
CREATE TABLE analytics_snapshots (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL DEFAULT '',
    coordinator_id TEXT,
    taken_at       TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    metrics        TEXT NOT NULL
);
CREATE INDEX analytics_snapshots_taken_at ON analytics_snapshots (taken_at);
