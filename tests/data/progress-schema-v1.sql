-- The progress store schema of torch-grader before hint counts and exercise review
-- (grader/study/store.py _SCHEMA, PRAGMA user_version = 1): the migration tests open it.
CREATE TABLE IF NOT EXISTS answers (
    uid TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    bank TEXT NOT NULL,
    tags TEXT NOT NULL,
    qtype TEXT NOT NULL,
    mode TEXT NOT NULL,
    session_id TEXT,
    attempt INTEGER NOT NULL,
    response TEXT NOT NULL,
    score REAL NOT NULL,
    content_hash TEXT NOT NULL,
    outdated INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT NOT NULL,
    day TEXT NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_question ON answers(question_id);
CREATE INDEX IF NOT EXISTS answers_day ON answers(day);
CREATE TABLE IF NOT EXISTS cards (
    question_id TEXT PRIMARY KEY,
    card TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_logs (
    uid TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    rating INTEGER NOT NULL,
    score REAL NOT NULL,
    reviewed_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    outdated INTEGER NOT NULL DEFAULT 0,
    log TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_logs_question ON review_logs(question_id);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL
);
