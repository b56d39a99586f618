-- The moderation log also records what admins do outside the queue (a takedown, featuring a
-- card or not), and outlives the cards of a person who had their data deleted: such an entry
-- keeps its action and time, its card becomes NULL.
ALTER TABLE moderation_log ALTER COLUMN card_id DROP NOT NULL;
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check CHECK (action IN
    ('approve', 'reject', 'unpublish', 'feature', 'unfeature'));
