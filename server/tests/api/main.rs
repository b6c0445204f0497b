//! Integration tests: the real server on a random port, over HTTP, against real SQLite and real
//! PostgreSQL. One file per journey; every test runs once per engine (see `engine_tests!`).

mod browser;
mod delivery;
mod helpers;
mod jobs;

mod access;
mod accounts;
mod activity;
mod admin;
mod age_transitions;
mod applications;
mod benefits;
mod child_accounts;
mod data_rights;
mod deciding_matrix;
mod diary;
mod documents;
mod edges;
mod family;
mod health;
mod history;
mod identity;
mod linking;
mod notification_centre;
mod notification_settings;
mod officer;
mod officer_documents;
mod outcomes;
mod pages;
mod parent_tie;
mod profile;
mod receipts;
mod recovery;
mod refusal_log;
mod registries;
mod replies;
mod retention;
mod schema_parity;
mod second_factor;
mod sign_in_attacks;
mod stored_codes;
mod support_question;
mod support_requests;
