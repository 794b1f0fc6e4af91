//! End-to-end tests: the real HTTP server over a real database (SQLite always, PostgreSQL when
//! `TSEEDER_TEST_DATABASE_URL` is set), driven with reqwest.

#![allow(clippy::unwrap_used, reason = "test scenarios: a panic is a test failure")]

mod accounts;
mod admin_console;
mod agents;
mod authz;
mod bandwidth;
mod billing;
mod browser;
mod client;
mod common;
mod dispatcher;
mod downloads;
mod fleet;
mod hosts;
mod jobs;
mod metrics;
mod orgs;
mod password_reset;
mod plans;
mod preview;
mod queue;
mod remote;
mod restart;
mod retention;
mod status;
mod tenancy;
