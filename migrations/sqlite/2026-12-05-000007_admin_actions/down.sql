-- Back to a log of queue decisions on existing cards only: the other entries cannot be kept.
CREATE TABLE moderation_log_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    card_id BIGINT NOT NULL REFERENCES cards (id),
    moderator_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject')),
    reason TEXT,
    at BIGINT NOT NULL
);

INSERT INTO moderation_log_old (id, card_id, moderator_id, action, reason, at)
    SELECT id, card_id, moderator_id, action, reason, at FROM moderation_log
    WHERE card_id IS NOT NULL AND action IN ('approve', 'reject');

DROP TABLE moderation_log;
ALTER TABLE moderation_log_old RENAME TO moderation_log;

CREATE INDEX moderation_log_card ON moderation_log (card_id, at);
