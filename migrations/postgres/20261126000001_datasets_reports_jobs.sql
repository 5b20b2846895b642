-- Datasets, their reports, saved report templates, and the durable job queue.
-- Every row belongs to a user; deleting the user deletes them all.
create table datasets (
    id           text primary key,
    user_id      text not null references users (id) on delete cascade,
    name         text not null,            -- the uploaded file's name, for display only
    format       text not null,            -- csv | json | jsonl
    storage_key  text not null,            -- chosen by the server
    size_bytes   bigint not null,
    status       text not null,            -- queued | profiling | ready | failed
    error        text,
    row_count    bigint,
    column_count bigint,
    profile      text,                     -- the engine's profile as JSON, once ready
    preview      text,                     -- the first rows as JSON, once ready
    created_at   timestamptz not null
);
create index datasets_user_id on datasets (user_id, id);

create table reports (
    id          text primary key,
    user_id     text not null references users (id) on delete cascade,
    dataset_id  text not null references datasets (id) on delete cascade,
    title       text not null,
    spec        text not null,             -- the report spec as JSON
    status      text not null,             -- queued | running | ready | failed
    error       text,
    storage_key text,
    size_bytes  bigint,
    created_at  timestamptz not null,
    finished_at timestamptz
);
create index reports_user_id on reports (user_id, id);
create index reports_dataset_id on reports (dataset_id);

create table templates (
    id         text primary key,
    user_id    text not null references users (id) on delete cascade,
    name       text not null,
    spec       text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (user_id, name)
);

-- A job is claimed by a worker with a lease that it renews while it runs; a job whose lease
-- ran out (its process died) is claimed again. Lease times are Unix milliseconds so both
-- databases compare them as numbers.
create table jobs (
    id             text primary key,
    user_id        text not null references users (id) on delete cascade,
    kind           text not null,          -- profile | report
    subject_id     text not null,          -- the dataset or report it works on
    status         text not null,          -- queued | running | done | failed
    progress       double precision not null default 0,
    message        text,
    error          text,
    attempts       integer not null default 0,
    worker         text,
    lease_until_ms bigint,
    created_at     timestamptz not null,
    started_at     timestamptz,
    finished_at    timestamptz
);
create index jobs_claim on jobs (status, id);
create index jobs_subject_id on jobs (subject_id);
