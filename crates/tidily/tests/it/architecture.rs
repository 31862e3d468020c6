//! The layers stay layered: no surface (the REST API, the pages, the CLI) imports another or
//! reaches past `app` into the store, and no two units import each other, directly or round
//! a longer loop.
//!
//! A unit is a top-level module of `tidily-core` (`domain`, `store`, `app`, …), one of the
//! crates `tidily-http` (`http`), `tidily-api` (`api`) and `tidily-web` (`web`), or a module of
//! this crate (`cli`, `seed`). The test reads every `crate::…` and `tidily_…::…` path of every
//! crate's `src/` (use trees included). Cargo already refuses a dependency between crates that
//! the manifests do not declare; this catches what a manifest allows but the design does not
//! (the pages reaching into `tidily_core::store`, a cycle among the core's modules), and
//! checks that the two surface crates do not depend on each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The surfaces: each parses input, calls `app`, renders; none may reach into another.
const SURFACES: [&str; 3] = ["api", "web", "cli"];
/// What a surface may not reach past `app`: the queries and the database handle. (The CLI's
/// operational commands, `migrate` and `serve`, open the database and run migrations.)
const BELOW_APP: [(&str, &[&str]); 3] = [
    ("api", &["store", "db", "migration"]),
    ("web", &["store", "db", "migration"]),
    ("cli", &["store"]),
];
/// Files that compose the surfaces into a program.
const ROOTS: [&str; 3] = ["main", "lib", "server"];
/// The crates besides the core, with the unit each stands for.
const CRATES: [(&str, &str); 3] = [
    ("tidily-http", "http"),
    ("tidily-api", "api"),
    ("tidily-web", "web"),
];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn no_surface_imports_another_or_the_store_and_no_cycle_remains() {
    let graph = unit_graph(&crates_dir());
    let mut problems = Vec::new();
    for (from, tos) in &graph {
        for to in tos {
            if SURFACES.contains(&from.as_str()) && SURFACES.contains(&to.as_str()) {
                problems.push(format!("surface `{from}` imports surface `{to}`"));
            }
            let below = BELOW_APP.iter().find(|(s, _)| s == from).map(|(_, b)| *b);
            if below.is_some_and(|b| b.contains(&to.as_str())) {
                problems.push(format!("surface `{from}` goes past `app` to `{to}`"));
            }
        }
    }
    for cycle in cycles(&graph) {
        problems.push(format!("import cycle: {}", cycle.join(" → ")));
    }
    for (surface, other) in [("tidily-api", "tidily-web"), ("tidily-web", "tidily-api")] {
        let manifest = std::fs::read_to_string(crates_dir().join(surface).join("Cargo.toml"))
            .expect("read manifest");
        if manifest.contains(other) {
            problems.push(format!("crate `{surface}` depends on `{other}`"));
        }
    }
    assert!(
        problems.is_empty(),
        "the layers are not layered:\n  {}\ngraph: {graph:#?}",
        problems.join("\n  ")
    );
}

/// The checker itself sees what it must: grouped, nested and renamed imports, and paths
/// into the other crates.
#[test]
fn the_path_reader_follows_use_trees() {
    let text = "use crate::{a::{b, c::d as e}, f};\nfn x() { crate::g::h(); tidily_core::store::q(); }\n// crate::no\n";
    let paths = crate_paths(text);
    let firsts: BTreeSet<_> = paths.iter().map(|p| p[1].as_str()).collect();
    assert_eq!(firsts, ["a", "f", "g", "store"].into_iter().collect());
    assert!(paths.contains(&vec!["crate".into(), "a".into(), "c".into(), "d".into()]));
    assert!(paths.contains(&vec!["tidily_core".into(), "store".into(), "q".into()]));
}

/// Unit → the units it names.
fn unit_graph(crates: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let core_src = crates.join("tidily-core").join("src");
    let core_modules: BTreeSet<String> = std::fs::read_dir(&core_src)
        .expect("read the core's src")
        .map(|e| file_stem(&e.expect("dir entry").path()))
        .filter(|m| m != "lib")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut sources = vec![("tidily-core", None), ("tidily", None)];
    sources.extend(CRATES.iter().map(|(c, unit)| (*c, Some(*unit))));
    for (krate, own_unit) in sources {
        let src = crates.join(krate).join("src");
        for file in rust_files(&src) {
            let rel = file.strip_prefix(&src).expect("under src");
            let first = file_stem(Path::new(rel.iter().next().expect("a path")));
            let from = own_unit.map_or(first.clone(), str::to_owned);
            if krate == "tidily" && ROOTS.contains(&first.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("read source");
            for path in crate_paths(&text) {
                let to = target(krate, own_unit, &core_modules, &path);
                if to != from {
                    graph.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    graph
}

/// The unit a path names, seen from a file of `krate` (whose own unit is `own_unit`, or per
/// module when `None`). The surface crates see the core's modules under their own names.
fn target(krate: &str, own_unit: Option<&str>, core: &BTreeSet<String>, path: &[String]) -> String {
    let second = path.get(1).cloned().unwrap_or_default();
    match path[0].as_str() {
        "tidily_core" => second,
        "tidily_http" => "http".into(),
        "tidily_api" => "api".into(),
        "tidily_web" => "web".into(),
        _ if krate == "tidily-core" || krate == "tidily" => second,
        _ if second == "core_error" => "error".into(),
        _ if core.contains(&second) || ["http", "api", "web"].contains(&second.as_str()) => second,
        _ => own_unit.unwrap_or_default().to_owned(),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_name()
        .expect("a name")
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The roots a path into this workspace starts with.
const ROOTS_OF_PATHS: [&str; 5] = [
    "crate",
    "tidily_core",
    "tidily_http",
    "tidily_api",
    "tidily_web",
];

/// Every path that starts with `crate::` or a workspace crate's name, use trees expanded,
/// comments skipped; each path keeps its root as its first segment.
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let tokens = tokenize(&code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if ROOTS_OF_PATHS.contains(&tokens[i].as_str())
            && tokens.get(i + 1).is_some_and(|t| t == "::")
        {
            let (paths, next) = use_tree(&tokens, i + 2, vec![tokens[i].clone()]);
            out.extend(paths);
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// Parses a use tree (or a plain path) at `i` with `prefix` before it.
fn use_tree(tokens: &[String], mut i: usize, mut prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                let mut out = Vec::new();
                i += 1;
                while let Some(t) = tokens.get(i) {
                    match t.as_str() {
                        "}" => return (out, i + 1),
                        "," => i += 1,
                        _ => {
                            let (paths, next) = use_tree(tokens, i, prefix.clone());
                            out.extend(paths);
                            i = next;
                        }
                    }
                }
                return (out, i);
            }
            Some(t) if is_ident(t) => {
                prefix.push(t.to_owned());
                i += 1;
                if tokens.get(i).is_some_and(|t| t == "::") {
                    i += 1;
                    continue;
                }
                if tokens.get(i).is_some_and(|t| t == "as") {
                    i += 2;
                }
                return (vec![prefix], i);
            }
            _ => {
                return (
                    if prefix.is_empty() {
                        vec![]
                    } else {
                        vec![prefix]
                    },
                    i + 1,
                )
            }
        }
    }
}

fn is_ident(t: &str) -> bool {
    t.chars().all(|c| c.is_alphanumeric() || c == '_') && !t.is_empty()
}

fn tokenize(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c.is_alphanumeric() || c == '_' {
            let mut word = c.to_string();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                word.push(chars[i]);
                i += 1;
            }
            tokens.push(word);
        } else if c == ':' && chars.get(i) == Some(&':') {
            i += 1;
            tokens.push("::".into());
        } else if c == '"' {
            // Skip string literals: a message may mention a path.
            while i < chars.len() {
                i += 1;
                match chars[i - 1] {
                    '\\' => i += 1,
                    '"' => break,
                    _ => {}
                }
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '"'); a lifetime has no closing quote.
            if chars.get(i) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 1) == Some(&'\'') {
                i += 2;
            }
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
        }
    }
    tokens
}

/// Every cycle of the graph, each once (found from its smallest member).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    let min = cycle.iter().enumerate().min_by_key(|(_, n)| *n).unwrap().0;
                    cycle.rotate_left(min);
                    cycle.push(cycle[0].clone());
                    found.insert(cycle);
                } else if !path.contains(next) && next > start {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found.into_iter().collect()
}
