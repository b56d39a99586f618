-- Back to a log of queue decisions on existing cards only: the other entries cannot be kept.
DELETE FROM moderation_log
    WHERE card_id IS NULL OR action NOT IN ('approve', 'reject');
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check CHECK (action IN
    ('approve', 'reject'));
ALTER TABLE moderation_log ALTER COLUMN card_id SET NOT NULL;
