-- The moderation log also records what admins do outside the queue (a takedown, featuring a
-- card or not), and outlives the cards of a person who had their data deleted: such an entry
-- keeps its action and time, its card becomes NULL. SQLite cannot change a CHECK or make a
-- column nullable in place, so the table is rebuilt; no other table refers to it.
CREATE TABLE moderation_log_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    card_id BIGINT REFERENCES cards (id),
    moderator_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN
        ('approve', 'reject', 'unpublish', 'feature', 'unfeature')),
    reason TEXT,
    at BIGINT NOT NULL
);

INSERT INTO moderation_log_new (id, card_id, moderator_id, action, reason, at)
    SELECT id, card_id, moderator_id, action, reason, at FROM moderation_log;

DROP TABLE moderation_log;
ALTER TABLE moderation_log_new RENAME TO moderation_log;

CREATE INDEX moderation_log_card ON moderation_log (card_id, at);
