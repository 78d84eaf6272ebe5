"""Network views: NetworkX/store data -> self-contained, offline pyvis HTML (and static images)."""
