-- Accounts and personal API tokens. Ids are server-made UUIDv7 strings.
create table users (
    id             text primary key,
    email          text not null unique,   -- stored lower-cased
    password_hash  text,                   -- argon2id PHC string; null for provider-only accounts
    session_secret text not null,
    created_at     text not null
);

create table api_tokens (
    id           text primary key,
    user_id      text not null references users (id) on delete cascade,
    name         text not null,
    prefix       text not null,
    secret_hash  text not null unique,     -- sha256 hex of the secret
    created_at   text not null,
    last_used_at text
);

create index api_tokens_user_id on api_tokens (user_id);
