//! The officer's back office (`/officer`; officers and administrators only): the queue of
//! applications, claims with a lease, and decisions through the status machine.

pub mod desk;
