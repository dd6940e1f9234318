//! A throwaway PostgreSQL server of the tests' own, started from the local binaries, that a test
//! may crash (SIGKILL to the postmaster and all its processes at once) and start again.
//!
//! The binaries come from `BOOKING_PG_BINDIR`, else the newest `/usr/lib/postgresql/*/bin`
//! (`./scripts/services up` installs them when missing). Run as root, the server runs as the
//! `postgres` user, as initdb demands. Without binaries the test fails: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A server on its own data directory and port, stopped and removed on drop.
pub struct ThrowawayPg {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn bindir() -> PathBuf {
    if let Ok(dir) = std::env::var("BOOKING_PG_BINDIR") {
        return PathBuf::from(dir);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(Result::ok).map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.join("initdb").exists());
    dirs.sort_by_key(|d| {
        let version = d.parent().and_then(Path::file_name).and_then(|v| v.to_str()).unwrap_or("0");
        version.parse::<u32>().unwrap_or(0)
    });
    dirs.pop().unwrap_or_else(|| {
        panic!("no PostgreSQL binaries (set BOOKING_PG_BINDIR or run ./scripts/services up)")
    })
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("{e}"))
}

/// `(pid, ppid, state)` of every process, from /proc (no procps needed).
fn processes() -> Vec<(u32, u32, String)> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(Result::ok)
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // pid (comm) state ppid ...: the fields after the last ')'.
            let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
            let state = rest.next()?.to_string();
            Some((pid, rest.next()?.parse().ok()?, state))
        })
        .collect()
}

/// Whether `pid` runs (a zombie has let go of everything).
fn alive(pid: u32) -> bool {
    processes().iter().any(|(p, _, state)| *p == pid && state != "Z")
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl ThrowawayPg {
    /// Makes a fresh cluster and starts it.
    pub fn start() -> ThrowawayPg {
        let as_postgres = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let data = std::env::temp_dir().join(format!("bc-crash-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
        let pg = ThrowawayPg { bin: bindir(), data, port: free_port(), as_postgres };
        if as_postgres {
            run(Command::new("chown").arg("postgres").arg(&pg.data), "chown");
        }
        run(
            pg.command("initdb")
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "-D"])
                .arg(&pg.data),
            "initdb",
        );
        pg.pg_ctl_start();
        pg
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn pg_ctl_start(&self) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.data.display());
        let log = self.data.join("server.log");
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-w", "-t", "60", "-o", &options, "-l"])
            .arg(&log)
            .arg("start")
            .output()
            .unwrap_or_else(|e| panic!("pg_ctl: {e}"));
        if !out.status.success() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(15).collect();
            panic!("pg_ctl start: {}\n{}", String::from_utf8_lossy(&out.stdout), tail.join("\n"));
        }
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// SIGKILL to the postmaster and every one of its processes at once, as a crash of the
    /// machine would stop them: what the WAL writer had not written yet is gone. (Each child
    /// of the postmaster leads a process group of its own, so they are named one by one.)
    /// Returns once none of them runs.
    pub fn crash(&self) {
        let pid = self.postmaster_pid().unwrap_or_else(|| panic!("no postmaster.pid"));
        let mut victims: Vec<u32> = processes().into_iter().filter(|p| p.1 == pid).map(|p| p.0).collect();
        victims.insert(0, pid);
        // The postmaster first (it would restart its children), then each child, one by one: a
        // child may have ended by itself in between, and `kill` stops at the first pid it misses.
        for victim in &victims {
            let _ = Command::new("kill").args(["-KILL", &victim.to_string()]).output();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while victims.iter().any(|v| alive(*v)) {
            assert!(Instant::now() < deadline, "the crashed server's processes did not end");
            std::thread::sleep(Duration::from_millis(20));
        }
        // A dead postmaster nobody reaps (a container's first process may not) still answers
        // kill(pid, 0), and PostgreSQL would take it for a running server: its lock files go
        // (the data directory's and the socket's), as an operator removes them once the server
        // is known to be down.
        let _ = std::fs::remove_file(self.data.join("postmaster.pid"));
        let sockets: Vec<_> =
            std::fs::read_dir(&self.data).map(|d| d.filter_map(Result::ok).collect()).unwrap_or_default();
        for entry in sockets {
            if entry.file_name().to_string_lossy().starts_with(".s.PGSQL.") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Starts it again on the same data and port: PostgreSQL recovers from its WAL.
    pub fn restart(&self) {
        self.pg_ctl_start();
    }
}

impl Drop for ThrowawayPg {
    fn drop(&mut self) {
        let _ = self.command("pg_ctl").arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]).output();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}
