// Readiness check: a trivial query the server must answer.
RETURN 1 AS ok
