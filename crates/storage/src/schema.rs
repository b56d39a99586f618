//! The tables, written by hand: `diesel print-schema` gives different types on the two
//! engines, and both must read as the same Rust types.
//!
//! Every id is BIGINT (SQLite's `INTEGER PRIMARY KEY` is its 64-bit rowid). Every timestamp
//! is BIGINT milliseconds since the Unix epoch, UTC — the domain's `Timestamp` as it is.

diesel::table! {
    cities (id) {
        id -> BigInt,
        i18n_key -> Text,
        position -> Integer,
    }
}

diesel::table! {
    areas (id) {
        id -> BigInt,
        city_id -> BigInt,
        i18n_key -> Text,
        position -> Integer,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        i18n_key -> Text,
        position -> Integer,
    }
}

diesel::table! {
    subcategories (id) {
        id -> BigInt,
        category_id -> BigInt,
        i18n_key -> Text,
        position -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        locale -> Nullable<Text>,
        city_id -> Nullable<BigInt>,
        accepted_policy -> Nullable<BigInt>,
        blocked_bot -> Bool,
        banned -> Bool,
        created_at -> BigInt,
        first_name -> Nullable<Text>,
        username -> Nullable<Text>,
    }
}

diesel::table! {
    partners (user_id) {
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    cards (id) {
        id -> BigInt,
        owner_id -> BigInt,
        status -> Text,
        city_id -> BigInt,
        area_id -> Nullable<BigInt>,
        category_id -> BigInt,
        subcategory_id -> Nullable<BigInt>,
        title -> Text,
        title_search -> Text,
        description -> Nullable<Text>,
        contact -> Text,
        address -> Nullable<Text>,
        map_link -> Nullable<Text>,
        discount -> Nullable<Text>,
        featured -> Bool,
        rejection_reason -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        search_text -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
    }
}

diesel::table! {
    card_photos (card_id, position) {
        card_id -> BigInt,
        position -> Integer,
        file_id -> Text,
    }
}

diesel::table! {
    moderation_log (id) {
        id -> BigInt,
        card_id -> Nullable<BigInt>,
        moderator_id -> BigInt,
        action -> Text,
        reason -> Nullable<Text>,
        at -> BigInt,
    }
}

diesel::table! {
    admins (user_id) {
        user_id -> BigInt,
        added_at -> BigInt,
    }
}

diesel::table! {
    dialogs (user_id) {
        user_id -> BigInt,
        state -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    handled_updates (update_id) {
        update_id -> BigInt,
        handled_at -> BigInt,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        update_id -> BigInt,
        chat_id -> Nullable<BigInt>,
        payload -> Text,
        locked_until -> BigInt,
    }
}

diesel::joinable!(areas -> cities (city_id));
diesel::joinable!(subcategories -> categories (category_id));
diesel::joinable!(partners -> users (user_id));
diesel::joinable!(card_photos -> cards (card_id));
diesel::joinable!(moderation_log -> cards (card_id));

diesel::allow_tables_to_appear_in_same_query!(
    cities,
    areas,
    categories,
    subcategories,
    users,
    partners,
    cards,
    card_photos,
    moderation_log,
    admins,
    dialogs,
    handled_updates,
    outbox,
);
