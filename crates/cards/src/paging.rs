//! Page math for every list: 5 items a page, requests clamped into range, labels "p/P".

/// Items on one page of any list.
pub const PAGE_SIZE: u32 = 5;

/// One page of a list of `total` items: which page, of how many, and what to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The page, counted from 1.
    pub number: u32,
    /// How many pages there are; at least 1, so an empty list is page 1 of 1.
    pub count: u32,
    /// How many items there are in all.
    pub total: u64,
}

impl Page {
    /// The page `requested` (from 1) of a list of `total` items, clamped into range: 0 is the
    /// first page and a page past the end is the last, so an outdated button still lands.
    pub fn clamp(requested: u32, total: u64) -> Page {
        let count = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .max(1);
        Page {
            number: requested.clamp(1, count),
            count,
            total,
        }
    }

    /// How many items to skip.
    pub fn offset(self) -> u64 {
        u64::from(self.number - 1) * u64::from(PAGE_SIZE)
    }

    /// How many items to take.
    pub const fn limit(self) -> u32 {
        PAGE_SIZE
    }

    /// The page before this one, if any.
    pub fn previous(self) -> Option<u32> {
        (self.number > 1).then(|| self.number - 1)
    }

    /// The page after this one, if any.
    pub fn next(self) -> Option<u32> {
        (self.number < self.count).then(|| self.number + 1)
    }

    /// The label `p/P`.
    pub fn label(self) -> String {
        format!("{}/{}", self.number, self.count)
    }
}

/// One page of items and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    /// The page these items are.
    pub page: Page,
    /// At most [`PAGE_SIZE`] items.
    pub items: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(requested: u32, total: u64, expected: (u32, u32, u64, Option<u32>, Option<u32>)) {
        let page = Page::clamp(requested, total);
        let got = (
            page.number,
            page.count,
            page.offset(),
            page.previous(),
            page.next(),
        );
        assert_eq!(got, expected, "page {requested} of {total} items");
        assert_eq!(page.label(), format!("{}/{}", expected.0, expected.1));
    }

    #[test]
    fn pages_are_clamped_and_counted() {
        check(1, 0, (1, 1, 0, None, None));
        check(3, 0, (1, 1, 0, None, None));
        check(1, 5, (1, 1, 0, None, None));
        check(1, 6, (1, 2, 0, None, Some(2)));
        check(2, 6, (2, 2, 5, Some(1), None));
        check(0, 6, (1, 2, 0, None, Some(2)));
        check(9, 11, (3, 3, 10, Some(2), None));
        check(2, 11, (2, 3, 5, Some(1), Some(3)));
        check(u32::MAX, 7, (2, 2, 5, Some(1), None));
    }
}
