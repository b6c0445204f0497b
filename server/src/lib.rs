//! The server: configuration, HTTP stack, storage and the implementations of the services that
//! `app`'s server functions call. `main.rs` only parses the command line and calls into here.

mod abuse;
pub mod access;
pub mod accounts;
pub mod activity;
pub mod admin;
mod backoff;
pub mod benefits;
pub mod child_accounts;
pub mod cli;
pub mod client_address;
pub mod clock;
mod csv_file;
pub mod data_rights;
pub mod db;
pub mod diary;
pub mod family;
mod file_keys;
mod health;
pub mod jobs;
pub mod notifications;
pub mod officer;
mod operations;
pub mod outbox;
pub mod passwords;
pub mod receipts;
pub mod registries;
pub mod retention;
pub mod secret_box;
pub mod secrets;
mod security;
mod server_fns;
pub mod startup;
pub mod storage;
mod support;
pub mod telemetry;
