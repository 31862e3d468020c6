//! A profile's folders as a tree: the one walk that the API's nested listing, the tree page,
//! the folder pickers and the moves and deletes (which need a folder's subtree) all share.

use std::collections::HashMap;

use crate::entity::folder;

/// How deep a walk descends. Moves refuse cycles, so a deeper tree can only come from a
/// corrupt row; the cap keeps such a row from hanging a page.
const MAX_DEPTH: usize = 64;

/// The folders of one profile, indexed by parent. Folders whose parent is not in the list
/// are treated as top-level, so a folder is never lost from a walk.
pub struct FolderTree<'a> {
    children: HashMap<Option<i64>, Vec<&'a folder::Model>>,
    by_id: HashMap<i64, &'a folder::Model>,
}

impl<'a> FolderTree<'a> {
    /// The tree of `folders`, siblings in the order given (by position, from the store).
    pub fn new(folders: impl IntoIterator<Item = &'a folder::Model>) -> Self {
        let by_id: HashMap<i64, &folder::Model> = folders.into_iter().map(|f| (f.id, f)).collect();
        let mut children: HashMap<Option<i64>, Vec<&folder::Model>> = HashMap::new();
        let mut all: Vec<&folder::Model> = by_id.values().copied().collect();
        all.sort_by(|a, b| (&a.position, a.id).cmp(&(&b.position, b.id)));
        for f in all {
            let parent = f.parent_id.filter(|p| by_id.contains_key(p));
            children.entry(parent).or_default().push(f);
        }
        FolderTree { children, by_id }
    }

    /// Every folder in pre-order (a folder, then its sub-folders), with its depth (0: top).
    pub fn walk(&self) -> Vec<(&'a folder::Model, usize)> {
        let mut out = Vec::with_capacity(self.by_id.len());
        let mut stack: Vec<(&folder::Model, usize)> =
            self.kids(None).rev().map(|f| (f, 0)).collect();
        while let Some((f, depth)) = stack.pop() {
            out.push((f, depth));
            if depth < MAX_DEPTH {
                stack.extend(self.kids(Some(f.id)).rev().map(|k| (k, depth + 1)));
            }
        }
        out
    }

    fn kids(&self, parent: Option<i64>) -> impl DoubleEndedIterator<Item = &'a folder::Model> + '_ {
        self.children.get(&parent).into_iter().flatten().copied()
    }

    /// `root` and every folder below it.
    pub fn subtree(&self, root: i64) -> Vec<i64> {
        let mut out = vec![root];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.kids(Some(out[i])).map(|f| f.id));
            i += 1;
        }
        out
    }

    /// The names from the top level down to `id` (empty for an unknown folder).
    pub fn path(&self, id: i64) -> Vec<&'a str> {
        let mut path = Vec::new();
        let mut at = self.by_id.get(&id).copied();
        while let Some(f) = at {
            path.push(f.name.as_str());
            if path.len() > MAX_DEPTH {
                break;
            }
            at = f.parent_id.and_then(|p| self.by_id.get(&p).copied());
        }
        path.reverse();
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: i64, parent_id: Option<i64>, position: &str) -> folder::Model {
        let now = chrono::Utc::now();
        folder::Model {
            id,
            user_id: 1,
            profile_id: 1,
            parent_id,
            name: format!("f{id}"),
            memo: String::new(),
            position: position.into(),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn walks_in_pre_order_with_depths_and_finds_subtrees_and_paths() {
        // 1 ─ 2 ─ 3
        //   └ 4
        // 5        (and 6, whose parent 99 is not in the list, counts as top-level)
        let list = [
            folder(5, None, "b"),
            folder(4, Some(1), "b"),
            folder(3, Some(2), "a"),
            folder(2, Some(1), "a"),
            folder(1, None, "a"),
            folder(6, Some(99), "c"),
        ];
        let tree = FolderTree::new(&list);
        let walk: Vec<(i64, usize)> = tree.walk().iter().map(|(f, d)| (f.id, *d)).collect();
        assert_eq!(walk, [(1, 0), (2, 1), (3, 2), (4, 1), (5, 0), (6, 0)]);
        let mut below = tree.subtree(1);
        below.sort();
        assert_eq!(below, [1, 2, 3, 4]);
        assert_eq!(tree.path(3), ["f1", "f2", "f3"]);
        assert!(tree.path(42).is_empty());
    }

    #[test]
    fn a_cycle_in_corrupt_rows_ends() {
        let list = [folder(1, Some(2), "a"), folder(2, Some(1), "b")];
        let tree = FolderTree::new(&list);
        assert!(tree.walk().is_empty(), "neither is reachable from the top");
        assert!(tree.path(1).len() <= MAX_DEPTH + 1);
    }
}
