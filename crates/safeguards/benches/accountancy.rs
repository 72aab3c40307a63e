//! Benchmarks of the accountancy statistics (filled in below).

fn main() {}
