-- Sign-in with OAuth / OpenID Connect providers.
--
-- A provider account is known by (issuer, subject), never by its e-mail. So `users.email` no
-- longer has to be unique across all users: it stays unique among password accounts (it is
-- their sign-in name) and is the provider's address, or null, for provider-only accounts.
-- Two providers reporting the same address therefore make two users, not one.
alter table users alter column email drop not null;
alter table users drop constraint users_email_key;
create unique index users_password_email on users (email) where password_hash is not null;

create table identities (
    id         text primary key,
    user_id    text not null references users (id) on delete cascade,
    provider   text not null,              -- the configured name, e.g. github
    issuer     text not null,
    subject    text not null,
    email      text,                       -- as the provider reported it, for display only
    created_at timestamptz not null,
    unique (issuer, subject)
);

create index identities_user_id on identities (user_id);
