//! Embeds `functions/*.sql`, in file-name order, as `FUNCTIONS` (`$OUT_DIR/functions.rs`), so
//! that no list of them is kept by hand: a file added to the directory is applied by the next
//! build. Also tells cargo to rebuild when a migration or function file is added: `sqlx::migrate!`
//! notices changes to the migrations it embedded, not new ones.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=functions");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("functions");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "sql") {
            files.push(path);
        }
    }
    files.sort();
    let mut out =
        String::from("/// `functions/*.sql` in file-name order: (file name, its text). Made by build.rs.\n");
    out.push_str("pub(crate) const FUNCTIONS: &[(&str, &str)] = &[\n");
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).ok_or("a function file name is not UTF-8")?;
        let full = path.to_str().ok_or("a function file path is not UTF-8")?;
        writeln!(out, "    ({name:?}, include_str!({full:?})),")?;
    }
    out.push_str("];\n");
    std::fs::write(PathBuf::from(std::env::var("OUT_DIR")?).join("functions.rs"), out)?;
    Ok(())
}
