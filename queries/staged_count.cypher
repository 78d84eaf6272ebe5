// Rows of unfinished staged imports and the imports themselves (tests and `doctor`-style checks).
RETURN COUNT { (a:Actor) WHERE a.staged IS NOT NULL } AS actors,
       COUNT { ()-[r:TIE]->() WHERE r.staged IS NOT NULL } AS ties,
       COUNT { (h:HistoryEntry) WHERE h.staged IS NOT NULL } AS history,
       COUNT { (i:Import) } AS imports
