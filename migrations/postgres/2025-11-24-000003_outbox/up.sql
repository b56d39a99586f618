-- An update is now recorded as handled in the same transaction as what handling it changed,
-- so there is no unfinished claim any more. Unfinished claims left by an older version are
-- given back first, so that those updates are handled when they come again.
DELETE FROM handled_updates WHERE NOT done;
ALTER TABLE handled_updates DROP COLUMN done;

-- What handling an update produced (messages, edits, callback answers), written in the same
-- transaction and removed once sent. A row is locked for sending until `locked_until`
-- (Unix milliseconds) by the instance sending it; an expired lock is a dead instance's.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    update_id BIGINT NOT NULL,
    chat_id BIGINT,
    payload TEXT NOT NULL,
    locked_until BIGINT NOT NULL
);

CREATE INDEX outbox_lock ON outbox (locked_until);
