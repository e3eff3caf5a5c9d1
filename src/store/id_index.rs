//! Where each article of a feed sits in its list, by id, without a copy of the ids: a 64-bit hash of
//! the id → position (25,000 headlines: about 1.6 MB less than a map keyed by the ids themselves).
//! A hash shared by two ids keeps the first; a lookup checks the id it finds and falls back to a scan
//! of the list, so the answer is always right. The hash is keyed per index (`RandomState`), so a feed
//! cannot choose ids that collide.

use crate::model::{Article, ArticleId};
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// One feed's id → position index.
#[derive(Debug, Clone, Default)]
pub(super) struct IdIndex {
    slots: HashMap<u64, u32>,
    keys: RandomState,
}

impl IdIndex {
    /// The position of `id` in `list`, the list this index describes.
    pub(super) fn get(&self, id: &ArticleId, list: &[Article]) -> Option<usize> {
        let at = usize::try_from(*self.slots.get(&self.keys.hash_one(id))?).ok()?;
        if list.get(at).is_some_and(|a| a.id == *id) {
            return Some(at);
        }
        // Two ids share the hash: the slot holds the other one.
        list.iter().position(|a| a.id == *id)
    }

    /// `id` is at `at` (a hash already taken keeps its first position).
    pub(super) fn insert(&mut self, id: &ArticleId, at: usize) {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        self.slots.entry(self.keys.hash_one(id)).or_insert(at);
    }

    /// Index `list` anew (after it was re-sorted).
    pub(super) fn rebuild(&mut self, list: &[Article]) {
        self.slots.clear();
        for (at, a) in list.iter().enumerate() {
            self.insert(&a.id, at);
        }
    }

    /// How many distinct hashes are indexed: fewer than the list's length means duplicate ids (or,
    /// very rarely, a shared hash).
    pub(super) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Forget every position.
    pub(super) fn clear(&mut self) {
        self.slots.clear();
    }

    /// Give back unused capacity.
    pub(super) fn shrink_to_fit(&mut self) {
        self.slots.shrink_to_fit();
    }

    /// Forget every position and the memory they took.
    pub(super) fn release(&mut self) {
        self.slots = HashMap::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str) -> Article {
        crate::store::tests::article(0, id, 1)
    }

    #[test]
    fn finds_every_id_even_when_two_share_a_slot() {
        let list: Vec<Article> = ["a", "b", "c"].into_iter().map(article).collect();
        let mut index = IdIndex::default();
        index.rebuild(&list);
        for (at, a) in list.iter().enumerate() {
            assert_eq!(index.get(&a.id, &list), Some(at));
        }
        assert_eq!(index.get(&ArticleId("zzz".into()), &list), None);
        // Force a shared hash: "c"'s slot points at "a"; the lookup still finds "c" by scanning.
        let c = index.keys.hash_one(&list[2].id);
        index.slots.insert(c, 0);
        assert_eq!(index.get(&list[2].id, &list), Some(2));
    }
}
