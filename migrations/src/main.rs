//! `tseeder-migrate`: the sea-orm migration CLI for the tseeder schema.
//!
//! Reads the database URL from `DATABASE_URL` (or `-u`), for example
//! `DATABASE_URL=sqlite://data/tseeder.sqlite?mode=rwc tseeder-migrate up`.
//! Run `tseeder-migrate --help` for the subcommands (`up`, `down`, `status`, `fresh`, ...).

#[tokio::main]
async fn main() {
    sea_orm_migration::cli::run_cli(tseeder_migrations::Migrator).await;
}
