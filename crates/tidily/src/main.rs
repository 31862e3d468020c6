use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = tidily::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(tidily::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Two glibc tunings for a process this size, set before any other thread exists:
///
/// - glibc gives every thread that allocates its own malloc arena; with the async workers,
///   the blocking pool and one thread per SQLite connection that multiplies resident memory
///   for no gain. Two arenas keep RSS small (see docs/benchmarks.md).
/// - A fixed mmap threshold: blocks over 1 MiB are mapped and unmapped on their own. By
///   default glibc raises the threshold to the size of the largest block freed, so each
///   19 MiB argon2 buffer, once freed, stays in the heap: a burst of log-ins left hundreds of
///   MB resident although only two hashes ever ran at once.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tuning; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}
