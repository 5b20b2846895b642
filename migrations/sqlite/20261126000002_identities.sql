-- Sign-in with OAuth / OpenID Connect providers.
--
-- A provider account is known by (issuer, subject), never by its e-mail. So `users.email` no
-- longer has to be unique across all users: it stays unique among password accounts (it is
-- their sign-in name) and is the provider's address, or null, for provider-only accounts.
-- Two providers reporting the same address therefore make two users, not one.
--
-- SQLite cannot drop a column constraint, so `users` is rebuilt. Quire runs SQLite migrations
-- with foreign keys off (see `db::Db::migrate`), as SQLite's documented procedure requires, so
-- dropping the old table neither cascades to api_tokens nor breaks their reference.
create table users_new (
    id             text primary key,
    email          text,                   -- stored lower-cased
    password_hash  text,                   -- argon2id PHC string; null for provider-only accounts
    session_secret text not null,
    created_at     text not null
);
insert into users_new (id, email, password_hash, session_secret, created_at)
    select id, email, password_hash, session_secret, created_at from users;
drop table users;
alter table users_new rename to users;
create unique index users_password_email on users (email) where password_hash is not null;

create table identities (
    id         text primary key,
    user_id    text not null references users (id) on delete cascade,
    provider   text not null,              -- the configured name, e.g. github
    issuer     text not null,
    subject    text not null,
    email      text,                       -- as the provider reported it, for display only
    created_at text not null,
    unique (issuer, subject)
);

create index identities_user_id on identities (user_id);
