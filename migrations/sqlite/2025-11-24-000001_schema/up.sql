-- Vitrina's schema on SQLite. Ids are 64-bit integers; timestamps are BIGINT milliseconds
-- since the Unix epoch, UTC (the domain's `Timestamp`), identical on both engines.

CREATE TABLE cities (
    id BIGINT PRIMARY KEY NOT NULL,
    i18n_key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);

CREATE TABLE areas (
    id BIGINT PRIMARY KEY NOT NULL,
    city_id BIGINT NOT NULL REFERENCES cities (id),
    i18n_key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    -- the target of cards' (area_id, city_id) key: an area must belong to the card's city
    UNIQUE (id, city_id)
);

CREATE TABLE categories (
    id BIGINT PRIMARY KEY NOT NULL,
    i18n_key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);

CREATE TABLE subcategories (
    id BIGINT PRIMARY KEY NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    i18n_key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    UNIQUE (id, category_id)
);

CREATE TABLE users (
    id BIGINT PRIMARY KEY NOT NULL,
    locale TEXT,
    city_id BIGINT REFERENCES cities (id),
    accepted_policy BIGINT,
    blocked_bot BOOLEAN NOT NULL DEFAULT FALSE,
    banned BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
);

CREATE TABLE partners (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
);

-- INTEGER PRIMARY KEY is SQLite's 64-bit rowid; AUTOINCREMENT keeps ids of old cards (still
-- in callback data of old messages) from being reused.
CREATE TABLE cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN
        ('draft', 'pending', 'published', 'rejected', 'archived', 'deleted', 'approved')),
    city_id BIGINT NOT NULL REFERENCES cities (id),
    area_id BIGINT,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    subcategory_id BIGINT,
    title TEXT NOT NULL,
    -- vitrina_cards::search_key(title), computed by the application: SQLite's lower() and
    -- LIKE fold ASCII only
    title_search TEXT NOT NULL,
    description TEXT,
    contact TEXT NOT NULL,
    address TEXT,
    map_link TEXT,
    discount TEXT,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    rejection_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    FOREIGN KEY (area_id, city_id) REFERENCES areas (id, city_id),
    FOREIGN KEY (subcategory_id, category_id) REFERENCES subcategories (id, category_id)
);

CREATE INDEX cards_catalog ON cards (status, city_id, category_id);
CREATE INDEX cards_owner ON cards (owner_id, updated_at);

CREATE TABLE card_photos (
    card_id BIGINT NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 5),
    file_id TEXT NOT NULL,
    PRIMARY KEY (card_id, position)
);

CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    card_id BIGINT NOT NULL REFERENCES cards (id),
    moderator_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject')),
    reason TEXT,
    at BIGINT NOT NULL
);

CREATE INDEX moderation_log_card ON moderation_log (card_id, at);

-- Admins added with `bot admin add`; those of ADMIN_IDS are never stored.
CREATE TABLE admins (
    user_id BIGINT PRIMARY KEY NOT NULL,
    added_at BIGINT NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
);

CREATE TABLE dialogs (
    user_id BIGINT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX dialogs_expiry ON dialogs (expires_at);

CREATE TABLE handled_updates (
    update_id BIGINT PRIMARY KEY NOT NULL,
    handled_at BIGINT NOT NULL,
    -- FALSE while an instance handles the update; TRUE once its effects were sent.
    done BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX handled_updates_age ON handled_updates (handled_at);
